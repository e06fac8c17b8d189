//! Duplicate deliveries: the platform retries an event it got no 2xx for (5 times over 10 minutes),
//! and a retry can cross the first answer on the wire. A job whose outcome is known is answered with
//! that outcome again, without running its worker; duplicates that arrive while the worker runs wait
//! for its outcome instead of running it a second time.
//!
//! The record lives in a [`DeliveryStore`]: [`MemoryStore`] (bounded, with expiry) by default, and
//! with the `redis` feature a `RedisStore` that several replicas of a plugin share.

mod claim;
mod memory;
#[cfg(feature = "redis")]
mod redis;

use std::fmt;
use std::time::Duration;

use actix_web::web::Bytes;
use futures_util::future::BoxFuture;

pub(crate) use claim::claim;
pub use memory::MemoryStore;
#[cfg(feature = "redis")]
pub use redis::RedisStore;

use crate::JobStatus;

/// How long a recorded outcome is kept unless the store is told otherwise: well past the
/// platform's 10 minutes of retries.
pub const DEFAULT_RECORD_TTL: Duration = Duration::from_secs(60 * 60);

/// How many recorded outcomes [`MemoryStore::default`] keeps; the oldest go first.
///
/// A remembered delivery costs about 130 bytes of table and order queue plus its answer's body (the
/// greeter's is 178 bytes, 192 in the allocator): 20,000 of them are about 6–7 MB. That covers the
/// platform's 10 minutes of retries up to about 30 events a second; a busier plugin sets a larger
/// bound with [`MemoryStore::new`], or shares a Redis store.
pub const DEFAULT_MEMORY_CAPACITY: usize = 20_000;

/// A job's recorded answer: the job state and the exact body the platform was answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedAnswer {
    /// The job's state (its HTTP status follows from it).
    pub status: JobStatus,
    /// The JSON body of the answer.
    pub body: Bytes,
}

/// What [`DeliveryStore::claim`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Nobody holds this delivery: the caller runs the worker, then records its answer or releases
    /// the claim. The token proves the claim is the caller's (a store may hand it over to another
    /// caller once the lease has passed).
    First {
        /// This claim's token, for [`DeliveryStore::record`] and [`DeliveryStore::release`].
        token: u64,
        /// Which run of the delivery this is, as far as the store remembers (its ttl): 1 for the
        /// first; one more for each run that was released (its worker failed, so the platform
        /// retried) or taken over after its lease (its process died).
        attempt: u32,
    },
    /// The job's outcome is known: answer it again.
    Recorded(RecordedAnswer),
}

/// Why a delivery store could not answer (e.g. its server is unreachable). The delivery is then
/// answered 503 `WEBHOOK_UNAVAILABLE`, which the platform retries later: an event is neither run
/// twice nor lost while the store is down.
#[derive(Debug, Clone)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the delivery store failed: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

/// Where the outcomes of deliveries are recorded. Keys name one job of one worker.
///
/// A store must make `claim` exclusive: of any number of concurrent claims of a key, one gets
/// [`Claim::First`]; the others wait until it records (and then get [`Claim::Recorded`]) or
/// releases (and then one of them gets `First`). A claim neither recorded nor released within its
/// `lease` is taken to be dead (its process stopped) and may be handed to a waiting caller.
///
/// [`MemoryStore`] is the default; implement this trait for a store of your own and hand it to
/// [`crate::PluginContext::with_deliveries`].
pub trait DeliveryStore: fmt::Debug + Send + Sync + 'static {
    /// Claims `key` for a run of its worker, or returns its recorded answer.
    fn claim<'a>(
        &'a self,
        key: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>>;

    /// Records the answer of the run holding `token`: every later claim of `key` gets it, until it
    /// expires. Called again when a job that was answered "ongoing" ends.
    fn record<'a>(
        &'a self,
        key: &'a str,
        token: u64,
        answer: &'a RecordedAnswer,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Claims `key` without waiting, when the store can tell at once: `None` means "call
    /// [`DeliveryStore::claim`]" (the default, for stores that must ask a server). An in-memory
    /// store answers here unless a run of the key is going on, which spares the common case the
    /// boxed future of `claim`.
    fn claim_at_once(&self, key: &str, lease: Duration) -> Option<Result<Claim, StoreError>> {
        let _ = (key, lease);
        None
    }

    /// Gives up the claim holding `token` without an outcome (the worker failed: a retry must run
    /// it again). A claim that is no longer `token`'s is left alone.
    fn release<'a>(&'a self, key: &'a str, token: u64) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Checks that the store can be used, once, before the plugin starts serving: a store on a
    /// server connects here, so that a bad address or an unreachable server stops the plugin at
    /// startup with a clear message rather than failing every event. In memory: nothing to check.
    fn ready(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async { Ok(()) })
    }
}

/// The key of one job of one worker.
pub(crate) fn delivery_key(worker_path: &str, job: &crate::model::Id) -> String {
    use crate::model::Id;
    match job {
        // Built by hand: one allocation of the right size, no formatting machinery.
        Id::Text(job) => [worker_path, "#", job].concat(),
        Id::Number(job) => format!("{worker_path}#{job}"),
    }
}
