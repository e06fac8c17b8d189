//! Workers: the kind of [`Endpoint`] `#[event("...")]` makes, what a worker's arguments are taken
//! from ([`FromEvent`], [`EventParts`]), its entry in the plugin's declaration ([`WorkerInfo`]),
//! and how it is served, from raw request to job outcome.

use std::future::Future;

use std::marker::PhantomData;

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::web::ServiceConfig;
use actix_web::{HttpMessage as _, HttpRequest, HttpResponse, web};
use serde::Deserialize;
use tracing::Instrument as _;

use crate::api::EnvoyApi;
use crate::body::read_signed_body;
use crate::context::PluginContext;
use crate::decode::decode_body;
use crate::deliveries::{self, RecordedAnswer, delivery_key};
use crate::endpoint::{Endpoint, EndpointKind, Service};
use crate::events::Event;
use crate::extract::PayloadSlot;
pub use crate::extract::{ConfigType, EventParts, FromEvent};
use crate::handler::catching_panics;
use crate::model::EventMeta;
use crate::model::Id;
use crate::{ErrorKind, JobResult, JobStatus, Outcome, PluginError};

/// The kind of endpoint `#[event("...")]` makes: a worker of event `Ev`, served at `POST` with the
/// platform's signature, run once per job.
pub struct Worker<Ev>(PhantomData<Ev>);

/// What `#[event("...")]` derives from a worker's arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerSettings {
    /// One of the arguments is the event's typed payload (`Entry`, ...): `payload` is decoded
    /// into it with the request. Otherwise it is kept as its JSON, for a
    /// [`PayloadView`](crate::PayloadView) or for nobody, and costs no more than a copy.
    pub reads_payload: bool,
}

impl<Ev: Event> EndpointKind for Worker<Ev> {
    type Parts = EventParts<Ev>;
    type Output = JobResult;
    type Settings = WorkerSettings;

    fn register<E: Endpoint<Kind = Self>>(config: &mut AppService) {
        register_worker::<E, Ev>(config);
    }
}

/// The kind of a worker, as `plugin!`'s checks read it: the event it handles.
pub trait WorkerKind: EndpointKind {
    /// The event.
    type Event: Event;
}

impl<Ev: Event> WorkerKind for Worker<Ev> {
    type Event = Ev;
}

/// What a plugin's `events` list: what `#[event("...")]` implements besides [`Endpoint`], so that a
/// name of another kind is one error, in these words.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an event worker",
    label = "not declared with `#[event(\"...\")]`",
    note = "a plugin's `events` lists async fns annotated with `#[event(\"<event name>\")]`"
)]
pub trait EventWorker: Endpoint<Kind: WorkerKind> {}

/// A worker's entry in the plugin's declaration: what the manifest and the startup checks read, and
/// how the worker's route is registered.
#[derive(Debug, Clone)]
pub struct WorkerInfo {
    /// The handler's name.
    pub name: &'static str,
    /// The event's name.
    pub event: &'static str,
    /// The path the worker is served at.
    pub path: &'static str,
    /// The install config types the handler reads.
    pub config_types: Vec<ConfigType>,
    /// The payload's type name (`envoy_plugin::model::entry::Entry`, ...): for the development
    /// commands, which pick a sample payload for an event the platform names per plugin.
    pub payload: &'static str,
    /// The user-scope sets the handler calls the user API with.
    pub user_scope_sets: Vec<crate::user_api::ScopeSetInfo>,
    register: fn(&mut ServiceConfig),
}

impl WorkerInfo {
    /// The entry of worker `W`.
    pub fn of<W: EventWorker>() -> Self {
        type EventOf<W> = <<W as Endpoint>::Kind as WorkerKind>::Event;
        WorkerInfo {
            name: W::NAME,
            event: <EventOf<W> as Event>::NAME,
            path: W::PATH,
            config_types: W::config_types(),
            payload: std::any::type_name::<<EventOf<W> as Event>::Payload>(),
            user_scope_sets: W::user_scope_sets(),
            register: |config| {
                config.service(Service::<W>::new());
            },
        }
    }

    /// Registers the worker's route.
    pub fn register(&self, config: &mut ServiceConfig) {
        (self.register)(config);
    }
}

/// The body of a request to a worker.
#[derive(Deserialize)]
struct EventBody<P> {
    meta: EventMeta,
    payload: P,
}

/// Registers worker `W` as an actix-web resource: `POST` runs it, any other method is 405.
fn register_worker<W: Endpoint<Kind = Worker<Ev>>, Ev: Event>(config: &mut AppService) {
    web::resource(W::PATH)
        .route(web::post().to(serve_worker::<W, Ev>))
        .default_service(web::to(method_not_allowed))
        .register(config);
}

/// The answer to a method other than POST on a generated route.
pub(crate) async fn method_not_allowed(req: HttpRequest) -> HttpResponse {
    let err = PluginError::new(
        ErrorKind::MethodNotAllowed,
        format!(
            "method {} is not allowed: the platform sends POST",
            req.method()
        ),
    );
    actix_web::ResponseError::error_response(&err)
}

/// One request to a worker: verify, decode, run once per job (catching a panic), answer.
async fn serve_worker<W: Endpoint<Kind = Worker<Ev>>, Ev: Event>(
    req: HttpRequest,
    body: web::Payload,
) -> HttpResponse {
    match handle::<W, Ev>(&req, body).await {
        Ok(answer) => {
            // For the request log. The request's extensions, unlike a new response's, reuse the
            // map of the pooled request head: no allocation per request.
            req.extensions_mut().insert(answer.status);
            HttpResponse::build(answer.status.http_status())
                .content_type(actix_web::http::header::ContentType::json())
                .body(answer.body)
        }
        Err(err) => {
            if err.kind() == ErrorKind::Handler {
                // A 500 is read by the platform as a failed job: record it for the request log.
                req.extensions_mut().insert(JobStatus::Failed);
            }
            actix_web::ResponseError::error_response(&err)
        }
    }
}

async fn handle<W: Endpoint<Kind = Worker<Ev>>, Ev: Event>(
    req: &HttpRequest,
    body: web::Payload,
) -> Result<RecordedAnswer, PluginError> {
    let context = PluginContext::of(req)?;
    let bytes = read_signed_body(req, body, &context).await?;
    // Decoded once: into the typed payload when the worker takes it, else kept as its JSON.
    let body = if W::SETTINGS.reads_payload {
        let body: EventBody<<Ev as Event>::Payload> = decode_body(&bytes)?;
        EventBody {
            meta: body.meta,
            payload: PayloadSlot::Decoded(body.payload),
        }
    } else {
        let body: EventBody<Box<serde_json::value::RawValue>> = decode_body(&bytes)?;
        EventBody {
            meta: body.meta,
            payload: PayloadSlot::Raw(body.payload),
        }
    };
    let expected = <Ev as Event>::NAME;
    if body.meta.event != expected {
        return Err(PluginError::new(
            ErrorKind::InvalidData,
            format!(
                "invalid value at `meta.event`: this worker handles `{expected}`, not `{}`",
                body.meta.event
            ),
        ));
    }
    drop(bytes);
    // Every line logged while the job runs (the framework's and the handler's, a run past its
    // budget included) carries the job, its event and the install.
    let span = tracing::info_span!(
        "job",
        job = %body.meta.job.id,
        event = %expected,
        install = %body.meta.install_id,
        attempt = tracing::field::Empty,
    );
    run_once::<W, Ev>(req, context, body).instrument(span).await
}

/// Runs the worker on a decoded event once per job: a duplicate gets the recorded answer.
async fn run_once<W: Endpoint<Kind = Worker<Ev>>, Ev: Event>(
    req: &HttpRequest,
    context: web::Data<PluginContext>,
    body: EventBody<PayloadSlot<<Ev as Event>::Payload>>,
) -> Result<RecordedAnswer, PluginError> {
    let job = body.meta.job.id.clone();
    let budget = W::BUDGET.unwrap_or(context.budget);
    // A retry of a job whose outcome is known gets that outcome; one that arrives while the worker
    // runs waits for it. The claim outlives the budget by a margin, so a run that is still going is
    // never taken for a dead one.
    let key = delivery_key(W::PATH, &job);
    let mut claim = match deliveries::claim(&context.deliveries, key, budget + LEASE_MARGIN).await?
    {
        Ok(claim) => {
            tracing::Span::current().record("attempt", claim.attempt());
            claim
        }
        Err(recorded) => {
            tracing::info!(worker = W::NAME, job = %job, "duplicate delivery: answered with the recorded outcome");
            crate::metrics::duplicate_delivery(W::NAME);
            return Ok(recorded);
        }
    };
    let api = context.api.clone();
    let parts = EventParts::with_context(body.meta, body.payload, req.clone(), Some(context));
    // Boxed, so that a worker still running when its budget is spent can be moved to a task of
    // its own and finish there.
    let running = Box::pin(catching_panics(W::NAME, W::run(parts)));
    match within_budget(running, budget).await {
        Ok(Ok(outcome)) => {
            let answer = answer_of(&outcome);
            claim.record(&answer).await;
            Ok(answer)
        }
        Ok(Err(err)) => {
            // Logged here, inside the job's span, so that the line names the job and attempt.
            if err.kind() == ErrorKind::Handler {
                tracing::error!(worker = W::NAME, error = %err, "worker failed");
            }
            // Not an outcome: the platform retries, and the retry runs the worker again.
            claim.release().await;
            Err(err)
        }
        Err(running) => {
            let ongoing = answer_of(&Outcome::ongoing(format!(
                "`{}` is still working after {budget:?}: its outcome will be reported through the job API",
                W::NAME
            )));
            claim.record(&ongoing).await;
            crate::metrics::past_budget(W::NAME);
            // A shutdown waits for the run and its report (within the drain bound), so that an
            // outcome is not lost to a SIGTERM.
            let tracked = req
                .app_data::<web::Data<crate::Drain>>()
                .map(|drain| drain.track_job(&job));
            let finish = async move {
                let result = running.await;
                report_late::<W>(&api, job, &result).await;
                // Duplicates from now on get the final outcome.
                let outcome =
                    result.unwrap_or_else(|err| Outcome::failed(err.message().to_owned()));
                claim.record(&answer_of(&outcome)).await;
                drop(tracked);
            };
            actix_web::rt::spawn(finish.instrument(tracing::Span::current()));
            Ok(ongoing)
        }
    }
}

/// A worker's run, on the heap.
type Running = std::pin::Pin<Box<dyn Future<Output = JobResult>>>;

/// The worker's result if it ends within `budget`, else the run itself, still going.
async fn within_budget(
    mut running: Running,
    budget: std::time::Duration,
) -> Result<JobResult, Running> {
    // Most workers answer on their first poll: only a worker that has to wait gets a timer.
    let first = std::future::poll_fn(|cx| std::task::Poll::Ready(running.as_mut().poll(cx))).await;
    if let std::task::Poll::Ready(result) = first {
        return Ok(result);
    }
    tokio::select! {
        biased;
        result = &mut running => Ok(result),
        () = tokio::time::sleep(budget) => Err(running),
    }
}

/// How much longer than its budget a run holds its claim on a job.
pub(crate) const LEASE_MARGIN: std::time::Duration = std::time::Duration::from_secs(5);

/// The answer to the platform for `outcome`, serialized once: sent, and recorded for duplicates.
fn answer_of(outcome: &Outcome) -> RecordedAnswer {
    // Serialized straight from the outcome: no intermediate JSON value. It cannot fail (every
    // field is a string, a JSON value or a list of them), but if it did the job state still goes out.
    // Sized for a typical answer up front: one allocation, not a small one and then a larger.
    let mut body = Vec::with_capacity(256);
    if serde_json::to_writer(&mut body, &outcome.wire_body()).is_err() {
        body = b"{}".to_vec();
    }
    RecordedAnswer {
        status: outcome.status,
        body: body.into(),
    }
}

/// Reports the outcome of a worker that ran past its budget, through the job API.
async fn report_late<W: Endpoint>(api: &EnvoyApi, job: Id, result: &JobResult) {
    let job_api = api.job(job.clone());
    let reported = match result {
        Ok(outcome) => job_api.report(outcome).await,
        Err(err) => {
            job_api
                .fail(format!("`{}` failed", W::NAME), err.message())
                .await
        }
    };
    match reported {
        Ok(()) => {
            tracing::info!(worker = W::NAME, job = %job, "late outcome reported through the job API")
        }
        Err(err) => {
            tracing::error!(worker = W::NAME, job = %job, error = %err, "the late outcome could not be reported")
        }
    }
}
