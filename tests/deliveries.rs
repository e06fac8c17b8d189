//! Duplicate deliveries: a job whose outcome is known is answered with it again without running
//! the worker, and concurrent duplicates run it once. Every case runs against the in-memory store
//! and against a real `redis-server` on loopback (started by the test; `.ci/run` installs it).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::dev::{Service, ServiceResponse};
use actix_web::{App, test, web};
use envoy_plugin::PluginContext;
use envoy_plugin::deliveries::{Claim, DeliveryStore, MemoryStore, RedisStore};
use envoy_plugin::prelude::*;
use envoy_plugin::testing::TestEvent;
use envoy_plugin_suite::{SECRET, signature};
use futures_util::future::join_all;
use serde_json::Value;

/// How many times the worker ran each job.
static RUNS: Mutex<Option<HashMap<String, usize>>> = Mutex::new(None);

fn runs(job: &str) -> usize {
    RUNS.lock()
        .unwrap()
        .as_ref()
        .and_then(|runs| runs.get(job).copied())
        .unwrap_or(0)
}

/// What the worker does is chosen by the visitor's name.
#[event("entry_sign_in")]
async fn greet(job: Job, entry: Entry) -> JobResult {
    *RUNS
        .lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .entry(job.id().to_string())
        .or_default() += 1;
    let wait = match entry.full_name.as_str() {
        "slow" => 150,
        "late" => 700,
        _ => 0,
    };
    actix_web::rt::time::sleep(Duration::from_millis(wait)).await;
    match entry.full_name.as_str() {
        "fails" => Err(PluginError::msg("the printer is on fire")),
        "panics" => panic!("the worker panicked"),
        "nobody" => Ok(Outcome::ignored("nobody to greet")),
        name => Ok(Outcome::done(format!("Welcomed {name} (job {})", job.id()))),
    }
}

plugin! {
    Greeter { name: "Greeter", events: [greet] }
}

/// Settings whose late reports go nowhere (refused at once): these tests read answers only.
fn settings() -> Settings {
    let mut settings = Settings::new(SECRET).with_budget(Duration::from_millis(250));
    settings.base_url = "http://127.0.0.1:9".to_owned();
    settings
}

async fn app(
    store: impl DeliveryStore,
) -> impl Service<actix_http::Request, Response = ServiceResponse, Error = actix_web::Error> {
    let context = PluginContext::new(&settings()).with_deliveries(store);
    test::init_service(App::new().configure(envoy_plugin::configure_with(
        Greeter,
        web::Data::new(context),
    )))
    .await
}

fn event(job: &str, name: &str) -> Vec<u8> {
    TestEvent::new("entry_sign_in")
        .job_id(job)
        .attribute("full-name", name)
        .bytes()
}

/// Delivers `body` signed, as the platform does; the answer's status and JSON body.
async fn deliver(
    app: &impl Service<actix_http::Request, Response = ServiceResponse, Error = actix_web::Error>,
    body: &[u8],
) -> (u16, Value) {
    let req = test::TestRequest::post()
        .uri("/events/entry_sign_in")
        .insert_header(("content-type", "application/json"))
        .insert_header(("X-Envoy-Signature", signature(SECRET, body)))
        .set_payload(body.to_vec())
        .to_request();
    let res = test::call_service(app, req).await;
    let status = res.status().as_u16();
    let body = test::read_body(res).await;
    (
        status,
        serde_json::from_slice(&body).expect("a JSON answer"),
    )
}

/// Each scenario, written once, against any store.
mod scenarios {
    use super::*;

    pub async fn a_retry_gets_the_recorded_outcome(store: impl DeliveryStore, job: &str) {
        let app = app(store).await;
        let first = deliver(&app, &event(job, "Ada")).await;
        assert_eq!(first.0, 200);
        assert_eq!(
            first.1["message"],
            format!("Welcomed Ada (job {job})").as_str()
        );
        let retry = deliver(&app, &event(job, "Ada")).await;
        assert_eq!(retry, first, "the retry gets the same answer");
        assert_eq!(runs(job), 1, "the worker ran once");

        // Another job of the same worker runs.
        let other = format!("{job}-other");
        assert_eq!(deliver(&app, &event(&other, "Ada")).await.0, 200);
        assert_eq!(runs(&other), 1);
    }

    pub async fn concurrent_duplicates_run_once(store: impl DeliveryStore, job: &str) {
        let app = app(store).await;
        let body = event(job, "slow");
        let answers = join_all((0..6).map(|_| deliver(&app, &body))).await;
        assert_eq!(
            runs(job),
            1,
            "six concurrent deliveries ran the worker once"
        );
        for answer in &answers {
            assert_eq!(answer, &answers[0]);
        }
        assert_eq!(answers[0].0, 200);
    }

    pub async fn deliberate_outcomes_are_recorded_failures_are_not(
        store: impl DeliveryStore,
        job: &str,
    ) {
        let app = app(store).await;
        let ignored = format!("{job}-ignored");
        let first = deliver(&app, &event(&ignored, "nobody")).await;
        assert_eq!(first.0, 400);
        assert_eq!(deliver(&app, &event(&ignored, "nobody")).await, first);
        assert_eq!(
            runs(&ignored),
            1,
            "an ignored job is an outcome: not run again"
        );

        // A 500 is no outcome: the platform retries, and the retry runs the worker again.
        let failed = format!("{job}-fails");
        assert_eq!(deliver(&app, &event(&failed, "fails")).await.0, 500);
        assert_eq!(deliver(&app, &event(&failed, "fails")).await.0, 500);
        assert_eq!(runs(&failed), 2);
        let panicked = format!("{job}-panics");
        assert_eq!(deliver(&app, &event(&panicked, "panics")).await.0, 500);
        assert_eq!(deliver(&app, &event(&panicked, "panics")).await.0, 500);
        assert_eq!(runs(&panicked), 2);
    }

    pub async fn a_late_job_is_answered_ongoing_then_with_its_final_outcome(
        store: impl DeliveryStore,
        job: &str,
    ) {
        let app = app(store).await;
        let body = event(job, "late");
        let first = deliver(&app, &body).await;
        assert_eq!(first.0, 202, "{first:?}");
        let meanwhile = deliver(&app, &body).await;
        assert_eq!(
            meanwhile, first,
            "while the worker runs on, a retry is told it goes on"
        );
        // The worker ends 700 ms after it started; from then on the final outcome is the record.
        let mut last = meanwhile;
        for _ in 0..100 {
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
            last = deliver(&app, &body).await;
            if last.0 != 202 {
                break;
            }
        }
        assert_eq!(last.0, 200, "{last:?}");
        assert_eq!(
            last.1["message"],
            format!("Welcomed late (job {job})").as_str()
        );
        assert_eq!(runs(job), 1);
    }

    /// A claim neither recorded nor released (its process died) passes to a waiting caller once
    /// its lease is over; `second` may be another replica's handle on the same store.
    pub async fn a_dead_claim_passes_on_after_its_lease(
        first: &impl DeliveryStore,
        second: &impl DeliveryStore,
        key: &str,
    ) {
        let lease = Duration::from_millis(300);
        let started = Instant::now();
        assert!(matches!(
            first.claim(key, lease).await.unwrap(),
            Claim::First { attempt: 1, .. }
        ));
        // The run taken over is the delivery's second attempt.
        let Claim::First { token, attempt: 2 } = second.claim(key, lease).await.unwrap() else {
            panic!("the dead claim was not handed over as the second attempt");
        };
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(250),
            "waited only {waited:?}"
        );
        let answer = envoy_plugin::deliveries::RecordedAnswer {
            status: JobStatus::Done,
            body: r#"{"message":"done"}"#.into(),
        };
        second.record(key, token, &answer).await.unwrap();
        assert_eq!(
            first.claim(key, lease).await.unwrap(),
            Claim::Recorded(answer)
        );
    }

    /// A released claim (the worker failed) makes the platform's retry the next attempt.
    pub async fn a_retry_after_a_release_is_the_next_attempt(store: impl DeliveryStore, key: &str) {
        let lease = Duration::from_secs(5);
        for expected in 1..=3 {
            let Claim::First { token, attempt } = store.claim(key, lease).await.unwrap() else {
                panic!("a released delivery was answered as recorded");
            };
            assert_eq!(attempt, expected);
            store.release(key, token).await.unwrap();
        }
    }
}

mod memory {
    use super::*;

    #[actix_web::test]
    async fn a_retry_gets_the_recorded_outcome() {
        scenarios::a_retry_gets_the_recorded_outcome(MemoryStore::default(), "mem-retry").await;
    }

    #[actix_web::test]
    async fn concurrent_duplicates_run_once() {
        scenarios::concurrent_duplicates_run_once(MemoryStore::default(), "mem-concurrent").await;
    }

    #[actix_web::test]
    async fn deliberate_outcomes_are_recorded_failures_are_not() {
        scenarios::deliberate_outcomes_are_recorded_failures_are_not(MemoryStore::default(), "mem")
            .await;
    }

    #[actix_web::test]
    async fn a_late_job_is_answered_ongoing_then_with_its_final_outcome() {
        scenarios::a_late_job_is_answered_ongoing_then_with_its_final_outcome(
            MemoryStore::default(),
            "mem-late",
        )
        .await;
    }

    #[actix_web::test]
    async fn a_dead_claim_passes_on_after_its_lease() {
        let store = MemoryStore::default();
        scenarios::a_dead_claim_passes_on_after_its_lease(&store, &store, "mem-dead").await;
    }

    #[actix_web::test]
    async fn a_retry_after_a_release_is_the_next_attempt() {
        scenarios::a_retry_after_a_release_is_the_next_attempt(MemoryStore::default(), "mem-again")
            .await;
    }

    #[actix_web::test]
    async fn the_store_is_bounded_oldest_first() {
        let app = app(MemoryStore::new(2, Duration::from_secs(3600))).await;
        for job in ["bound-1", "bound-2", "bound-3"] {
            assert_eq!(deliver(&app, &event(job, "Ada")).await.0, 200);
        }
        // bound-1 was evicted to keep two records: its retry runs again; bound-3's does not.
        assert_eq!(deliver(&app, &event("bound-1", "Ada")).await.0, 200);
        assert_eq!(deliver(&app, &event("bound-3", "Ada")).await.0, 200);
        assert_eq!((runs("bound-1"), runs("bound-3")), (2, 1));
    }

    #[actix_web::test]
    async fn records_expire() {
        let app = app(MemoryStore::new(100, Duration::from_millis(150))).await;
        assert_eq!(deliver(&app, &event("expiring", "Ada")).await.0, 200);
        assert_eq!(deliver(&app, &event("expiring", "Ada")).await.0, 200);
        assert_eq!(runs("expiring"), 1);
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(deliver(&app, &event("expiring", "Ada")).await.0, 200);
        assert_eq!(runs("expiring"), 2, "an expired record is forgotten");
    }

    #[actix_web::test]
    async fn a_bad_signature_never_touches_the_record() {
        let app = app(MemoryStore::default()).await;
        let body = event("unsigned", "Ada");
        let req = test::TestRequest::post()
            .uri("/events/entry_sign_in")
            .insert_header(("content-type", "application/json"))
            .insert_header(("X-Envoy-Signature", signature("another secret", &body)))
            .set_payload(body.clone())
            .to_request();
        assert_eq!(test::call_service(&app, req).await.status().as_u16(), 401);
        assert_eq!(deliver(&app, &body).await.0, 200);
        assert_eq!(runs("unsigned"), 1);
    }
}

mod redis {
    use super::*;
    use std::net::TcpListener;
    use std::process::{Child, Command, Stdio};

    /// A `redis-server` of this test's own on a free loopback port, stopped when dropped.
    struct RedisServer {
        child: Child,
        url: String,
    }

    impl RedisServer {
        /// A server, or `None` (the test skips, loudly) where `redis-server` is not installed.
        fn start() -> Option<RedisServer> {
            if !envoy_plugin_suite::system_program("redis-server", "apt-get install redis-server") {
                return None;
            }
            let port = envoy_plugin_suite::free_port();
            let child = Command::new("redis-server")
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no"])
                .stdout(Stdio::null())
                .spawn()
                .expect("redis-server is on the PATH but did not start");
            envoy_plugin_suite::wait_for_port(port, "redis-server");
            Some(RedisServer {
                child,
                url: format!("redis://127.0.0.1:{port}/0"),
            })
        }

        /// A server that speaks TLS only, with a certificate made here for `127.0.0.1`, which
        /// this process trusts through `SSL_CERT_FILE` (read by the store's TLS client, as it
        /// would read the system's store). `None` where `openssl` or `redis-server` is missing.
        fn start_tls() -> Option<RedisServer> {
            if !envoy_plugin_suite::system_program("redis-server", "apt-get install redis-server")
                || !envoy_plugin_suite::system_program("openssl", "apt-get install openssl")
            {
                return None;
            }
            let dir = std::env::temp_dir().join(format!("redis-tls-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let file = |name: &str| dir.join(name);
            std::fs::write(
                file("leaf.ext"),
                "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
            )
            .unwrap();
            // A certificate authority, and the server's certificate signed by it.
            let steps: [&[&str]; 3] = [
                &[
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "1",
                    "-subj",
                    "/CN=envoy-plugin test CA",
                    "-keyout",
                    "ca.key",
                    "-out",
                    "ca.pem",
                ],
                &[
                    "req",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-subj",
                    "/CN=127.0.0.1",
                    "-keyout",
                    "key.pem",
                    "-out",
                    "leaf.csr",
                ],
                &[
                    "x509",
                    "-req",
                    "-in",
                    "leaf.csr",
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-days",
                    "1",
                    "-extfile",
                    "leaf.ext",
                    "-out",
                    "cert.pem",
                ],
            ];
            for step in steps {
                let made = Command::new("openssl")
                    .args(step)
                    .current_dir(&dir)
                    .stderr(Stdio::null())
                    .status()
                    .unwrap();
                assert!(made.success(), "openssl {step:?} failed");
            }
            let (cert, key) = (file("cert.pem"), file("key.pem"));
            // Safety: set before any TLS connection of this process, and read only by them.
            unsafe { std::env::set_var("SSL_CERT_FILE", file("ca.pem")) };
            let port = envoy_plugin_suite::free_port();
            let child = Command::new("redis-server")
                .args(["--port", "0", "--tls-port", &port.to_string()])
                .args(["--bind", "127.0.0.1", "--tls-auth-clients", "no"])
                .arg("--tls-cert-file")
                .arg(&cert)
                .arg("--tls-key-file")
                .arg(&key)
                .args(["--save", "", "--appendonly", "no"])
                .stdout(Stdio::null())
                .spawn()
                .expect("redis-server is on the PATH but did not start");
            envoy_plugin_suite::wait_for_port(port, "redis-server");
            Some(RedisServer {
                child,
                url: format!("rediss://127.0.0.1:{port}/0"),
            })
        }

        fn store(&self) -> RedisStore {
            RedisStore::new(&self.url)
        }
    }

    /// Both futures, driven together.
    async fn both<A, B>(a: impl Future<Output = A>, b: impl Future<Output = B>) -> (A, B) {
        futures_util::future::join(a, b).await
    }

    impl Drop for RedisServer {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    #[actix_web::test]
    async fn a_retry_gets_the_recorded_outcome() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        scenarios::a_retry_gets_the_recorded_outcome(server.store(), "redis-retry").await;
    }

    #[actix_web::test]
    async fn concurrent_duplicates_run_once() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        scenarios::concurrent_duplicates_run_once(server.store(), "redis-concurrent").await;
    }

    #[actix_web::test]
    async fn deliberate_outcomes_are_recorded_failures_are_not() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        scenarios::deliberate_outcomes_are_recorded_failures_are_not(server.store(), "redis").await;
    }

    #[actix_web::test]
    async fn a_late_job_is_answered_ongoing_then_with_its_final_outcome() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        scenarios::a_late_job_is_answered_ongoing_then_with_its_final_outcome(
            server.store(),
            "redis-late",
        )
        .await;
    }

    #[actix_web::test]
    async fn a_dead_claim_passes_on_after_its_lease() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        scenarios::a_dead_claim_passes_on_after_its_lease(
            &server.store(),
            &server.store(),
            "redis-dead",
        )
        .await;
    }

    #[actix_web::test]
    async fn a_retry_after_a_release_is_the_next_attempt() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        scenarios::a_retry_after_a_release_is_the_next_attempt(server.store(), "redis-again").await;
    }

    /// Two replicas behind a load balancer, each with its own app and its own connection to one
    /// Redis server, get the same job at once: it runs once between them.
    #[actix_web::test]
    async fn replicas_sharing_a_server_run_a_job_once() {
        let Some(server) = RedisServer::start() else {
            return;
        };
        let (one, two) = (app(server.store()).await, app(server.store()).await);
        let body = event("redis-replicas", "slow");
        let (a, b) = both(deliver(&one, &body), deliver(&two, &body)).await;
        assert_eq!(runs("redis-replicas"), 1);
        assert_eq!(a, b);
        assert_eq!(a.0, 200);
        // A later retry to either replica gets the record.
        assert_eq!(deliver(&two, &body).await, a);
        assert_eq!(deliver(&one, &body).await, a);
        assert_eq!(runs("redis-replicas"), 1);
    }

    /// `rediss://` is TLS: the store talks to a server that accepts nothing else, checking its
    /// certificate.
    #[actix_web::test]
    async fn a_rediss_url_talks_tls() {
        let Some(server) = RedisServer::start_tls() else {
            return;
        };
        let store = server.store();
        store.ready().await.expect("a TLS connection");
        scenarios::a_retry_gets_the_recorded_outcome(store, "redis-tls").await;
        // The same server over plain TCP is refused: it speaks TLS only.
        let plain = RedisStore::new(&server.url.replacen("rediss://", "redis://", 1));
        assert!(plain.ready().await.is_err());
    }

    /// A store that cannot be reached fails `ready`, which `serve` calls before it listens.
    #[actix_web::test]
    async fn an_unreachable_store_is_not_ready() {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let err = RedisStore::new(&format!("redis://127.0.0.1:{port}/0"))
            .ready()
            .await
            .unwrap_err();
        assert!(
            err.to_string().starts_with("the delivery store failed"),
            "{err}"
        );
        let err = RedisStore::new("redis://:pw@no host/0")
            .ready()
            .await
            .unwrap_err();
        assert!(!err.to_string().contains("pw"), "{err}");
    }

    /// With the store unreachable the plugin cannot tell whether a job ran: it answers 503, which
    /// the platform retries, and does not run the worker.
    #[actix_web::test]
    async fn an_unreachable_store_is_answered_503_without_running_the_worker() {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let app = app(RedisStore::new(&format!("redis://127.0.0.1:{port}/0"))).await;
        let (status, body) = deliver(&app, &event("redis-down", "Ada")).await;
        assert_eq!(status, 503, "{body}");
        assert_eq!(body["error"]["type"], "WEBHOOK_UNAVAILABLE");
        assert_eq!(body["error"]["code"], 503000);
        assert_eq!(runs("redis-down"), 0);
    }
}
