//! Prometheus metrics, with the `metrics` feature: served in the text exposition format at
//! `GET /metrics` ([`METRICS_PATH`]), outside the signature guard, next to the health endpoints.
//!
//! | metric | type | labels | what it counts |
//! | --- | --- | --- | --- |
//! | `envoy_plugin_requests_total` | counter | `route`, `status`, `outcome` | answered requests, by the route's pattern (`unmatched` for any other path), the HTTP status and the job outcome (`done`, `ongoing`, `ignored`, `failed`, or `-` when the answer is not a job's) |
//! | `envoy_plugin_handler_duration_seconds` | histogram | `handler` | how long each handler ran (workers, routes, callbacks, webhooks), a worker past its budget included |
//! | `envoy_plugin_duplicate_deliveries_total` | counter | `worker` | retried events answered from the delivery record, the worker not run again |
//! | `envoy_plugin_past_budget_total` | counter | `worker` | workers answered 202 (ongoing) for running past their budget |
//! | `envoy_plugin_api_calls_total` | counter | `method`, `result` | calls to Envoy's APIs (the platform API and the user API; token grants aside) by their final result: `ok`, `client_error` (4xx), `server_error` (5xx), `transport` (no answer) |
//! | `envoy_plugin_api_retries_total` | counter | `method` | those calls repeated after a transient failure |
//!
//! Labels have a bounded set of values: routes, handlers and workers are those the plugin declares,
//! and a request to any other path counts as `unmatched`, so a scan of random paths cannot grow
//! the metrics. Without the feature, recording compiles to nothing.
//!
//! The endpoint is registered by [`crate::configure`] like the health endpoints. It tells how the
//! plugin is used, not what it was sent: keep it on the network the scraper uses.

/// The metrics path.
pub const METRICS_PATH: &str = "/metrics";

#[cfg(feature = "metrics")]
mod enabled;
#[cfg(feature = "metrics")]
pub(crate) use enabled::{
    api_call, api_retry, duplicate_delivery, handler_ran, past_budget, register, request,
};

#[cfg(not(feature = "metrics"))]
mod disabled {
    //! Without the feature: the same calls, doing nothing.
    pub(crate) fn register(_config: &mut actix_web::web::ServiceConfig) {}
    pub(crate) fn request(_req: &actix_web::HttpRequest, _status: u16, _outcome: &'static str) {}
    pub(crate) fn handler_ran(_handler: &'static str, _seconds: f64) {}
    pub(crate) fn duplicate_delivery(_worker: &'static str) {}
    pub(crate) fn past_budget(_worker: &'static str) {}
    pub(crate) fn api_call(_method: &reqwest::Method, _status: Option<u16>) {}
    pub(crate) fn api_retry(_method: &reqwest::Method) {}
}
#[cfg(not(feature = "metrics"))]
pub(crate) use disabled::{
    api_call, api_retry, duplicate_delivery, handler_ran, past_budget, register, request,
};

/// Whether handler durations are measured: only when they are recorded.
pub(crate) const TIMED: bool = cfg!(feature = "metrics");
