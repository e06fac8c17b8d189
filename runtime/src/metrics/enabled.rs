//! The metrics, recorded in one process-wide registry (Prometheus scrapes a process).

use std::sync::OnceLock;

use actix_web::web::{self, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Metric, Registry};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    status: u16,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HandlerLabels {
    handler: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WorkerLabels {
    worker: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallLabels {
    method: &'static str,
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MethodLabels {
    method: &'static str,
}

type Histograms = Family<HandlerLabels, Histogram, fn() -> Histogram>;

struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    handler_seconds: Histograms,
    duplicates: Family<WorkerLabels, Counter>,
    past_budget: Family<WorkerLabels, Counter>,
    api_calls: Family<CallLabels, Counter>,
    api_retries: Family<MethodLabels, Counter>,
}

/// Handler durations from 0.5 ms to about 33 s, doubling.
fn handler_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.0, 17))
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let mut registry = Registry::with_prefix("envoy_plugin");
        let r = &mut registry;
        Metrics {
            requests: registered(
                r,
                "requests",
                "Answered requests by route, HTTP status and job outcome",
                Family::default(),
            ),
            handler_seconds: registered(
                r,
                "handler_duration_seconds",
                "How long handlers ran",
                Family::new_with_constructor(handler_histogram),
            ),
            duplicates: registered(
                r,
                "duplicate_deliveries",
                "Retried events answered from the delivery record",
                Family::default(),
            ),
            past_budget: registered(
                r,
                "past_budget",
                "Workers answered 202 for running past their budget",
                Family::default(),
            ),
            api_calls: registered(
                r,
                "api_calls",
                "Calls to the platform and user APIs by final result",
                Family::default(),
            ),
            api_retries: registered(
                r,
                "api_retries",
                "Calls to the platform and user APIs repeated after a transient failure",
                Family::default(),
            ),
            registry,
        }
    })
}

/// Registers `metric` and answers it: the registry keeps a handle of its own on the same values.
fn registered<M: Metric + Clone>(registry: &mut Registry, name: &str, help: &str, metric: M) -> M {
    registry.register(name, help, metric.clone());
    metric
}

/// Registers `GET /metrics`.
pub(crate) fn register(config: &mut ServiceConfig) {
    config.route(super::METRICS_PATH, web::get().to(scrape));
}

async fn scrape() -> HttpResponse {
    let mut text = String::new();
    match prometheus_client::encoding::text::encode(&mut text, &metrics().registry) {
        Ok(()) => HttpResponse::Ok()
            .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
            .body(text),
        // Writing to a `String` does not fail; were it to, the scraper sees a failed scrape.
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}

/// An answered request: its route is the matched resource's pattern, never the raw path.
pub(crate) fn request(req: &HttpRequest, status: u16, outcome: &'static str) {
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    metrics()
        .requests
        .get_or_create(&RequestLabels {
            route,
            status,
            outcome,
        })
        .inc();
}

pub(crate) fn handler_ran(handler: &'static str, seconds: f64) {
    metrics()
        .handler_seconds
        .get_or_create(&HandlerLabels { handler })
        .observe(seconds);
}

pub(crate) fn duplicate_delivery(worker: &'static str) {
    metrics()
        .duplicates
        .get_or_create(&WorkerLabels { worker })
        .inc();
}

pub(crate) fn past_budget(worker: &'static str) {
    metrics()
        .past_budget
        .get_or_create(&WorkerLabels { worker })
        .inc();
}

/// A platform API call's final result: its status, or `None` when no answer came.
pub(crate) fn api_call(method: &reqwest::Method, status: Option<u16>) {
    let result = match status {
        None => "transport",
        Some(500..) => "server_error",
        Some(400..) => "client_error",
        Some(_) => "ok",
    };
    metrics()
        .api_calls
        .get_or_create(&CallLabels {
            method: method_name(method),
            result,
        })
        .inc();
}

pub(crate) fn api_retry(method: &reqwest::Method) {
    metrics()
        .api_retries
        .get_or_create(&MethodLabels {
            method: method_name(method),
        })
        .inc();
}

fn method_name(method: &reqwest::Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        _ => "OTHER",
    }
}
