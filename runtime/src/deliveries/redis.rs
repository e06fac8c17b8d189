//! A delivery store on a Redis server, shared by every replica of a plugin.

use std::hash::BuildHasher as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::future::BoxFuture;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::OnceCell;

use super::{Claim, DEFAULT_RECORD_TTL, DeliveryStore, RecordedAnswer, StoreError};
use crate::JobStatus;

/// Records deliveries on a Redis server, so that replicas of a plugin behind a load balancer
/// answer a retried event alike and run concurrent duplicates once between them.
///
/// A key holds `run:<token>` while a worker runs (expiring after the claim's lease, so a replica
/// that dies does not hold a job forever) and `done:<token>:<status>:<body>` once its outcome is
/// known (expiring after the store's ttl); `<key>:runs` counts its runs, for the attempt number.
/// Claims are `SET NX` in a script that also counts the run; records and releases check the token
/// in a script, so a run that outlived its lease cannot undo its successor's claim.
///
/// Used when `REDIS_URL` is set and the `redis` feature is on; or build one and hand it to
/// [`crate::PluginContext::with_deliveries`]:
///
/// ```no_run
/// use envoy_plugin::deliveries::RedisStore;
/// let store = RedisStore::new("redis://127.0.0.1:6379/0").with_ttl(std::time::Duration::from_secs(1800));
/// ```
pub struct RedisStore {
    client: Result<redis::Client, String>,
    connection: OnceCell<ConnectionManager>,
    prefix: String,
    ttl: Duration,
    /// Random per store, so that tokens of different replicas never meet.
    tokens: std::collections::hash_map::RandomState,
    next: AtomicU64,
    /// The scripts, hashed once (they are sent by hash, and loaded when the server lacks them).
    claim: redis::Script,
    record: redis::Script,
    release: redis::Script,
}

/// How often a duplicate looks again whether the run it waits for has ended.
const POLL: Duration = Duration::from_millis(25);

/// How long a command may take before the store counts as unavailable.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(2);

/// Records `ARGV[3]` for `ARGV[4]` ms if the key is free, or held by the same token (running as
/// `ARGV[1]`, or recorded with the prefix `ARGV[2]`).
const RECORD: &str = r"
local current = redis.call('GET', KEYS[1])
if (not current) or current == ARGV[1] or string.sub(current, 1, string.len(ARGV[2])) == ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
  return 1
end
return 0
";

/// Claims the key for the run `ARGV[1]` for `ARGV[2]` ms if it is free, and counts the run in
/// `KEYS[2]` (kept `ARGV[3]` ms, like a record): answers the run's attempt, or 0 when the key is
/// held or recorded.
const CLAIM: &str = r"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local runs = redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  return runs
end
return 0
";

/// Deletes the key if it is still held by the run `ARGV[1]`.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The client's address may hold a password: not shown.
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// A store on the server at `url` (`redis://[:password@]host[:port][/db]`, or `rediss://` for
    /// TLS), connected by [`DeliveryStore::ready`] (which `serve` calls at startup) or on first
    /// use, and reconnected when the connection drops. A URL that cannot be used fails `ready`;
    /// at request time it makes deliveries 503.
    pub fn new(url: &str) -> Self {
        RedisStore {
            client: redis::Client::open(url).map_err(|e| format!("REDIS_URL cannot be used: {e}")),
            connection: OnceCell::new(),
            prefix: "envoy-plugin:delivery:".to_owned(),
            ttl: DEFAULT_RECORD_TTL,
            tokens: std::collections::hash_map::RandomState::new(),
            next: AtomicU64::new(0),
            claim: redis::Script::new(CLAIM),
            record: redis::Script::new(RECORD),
            release: redis::Script::new(RELEASE),
        }
    }

    /// Keeps outcomes for `ttl` instead of [`DEFAULT_RECORD_TTL`].
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Prefixes keys with `prefix` instead of `envoy-plugin:delivery:` (e.g. one per plugin
    /// sharing a server).
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    async fn connection(&self) -> Result<ConnectionManager, StoreError> {
        let client = self.client.as_ref().map_err(|e| StoreError(e.clone()))?;
        self.connection
            .get_or_try_init(|| async {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(COMMAND_TIMEOUT))
                    .set_response_timeout(Some(COMMAND_TIMEOUT))
                    .set_number_of_retries(2);
                ConnectionManager::new_with_config(client.clone(), config).await
            })
            .await
            .cloned()
            .map_err(store_error)
    }

    /// Connects and pings the server.
    async fn ping(&self) -> Result<(), StoreError> {
        let mut connection = self.connection().await?;
        redis::cmd("PING")
            .query_async::<String>(&mut connection)
            .await
            .map(drop)
            .map_err(store_error)
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

fn store_error(err: redis::RedisError) -> StoreError {
    StoreError(err.to_string())
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

/// `done:<token>:<status>:<body>`.
fn encode(token: u64, answer: &RecordedAnswer) -> Vec<u8> {
    let mut value = format!("done:{token}:{}:", answer.status.as_str()).into_bytes();
    value.extend_from_slice(&answer.body);
    value
}

fn decode(value: &[u8]) -> Option<RecordedAnswer> {
    let rest = value.strip_prefix(b"done:")?;
    let mut parts = rest.splitn(3, |&b| b == b':');
    let _token = parts.next()?;
    let status = match parts.next()? {
        b"done" => JobStatus::Done,
        b"ongoing" => JobStatus::Ongoing,
        b"ignored" => JobStatus::Ignored,
        b"failed" => JobStatus::Failed,
        _ => return None,
    };
    let body = parts.next()?;
    Some(RecordedAnswer {
        status,
        body: actix_web::web::Bytes::copy_from_slice(body),
    })
}

impl DeliveryStore for RedisStore {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        Box::pin(async move {
            let mut connection = self.connection().await?;
            let key = self.key(key);
            let token = self
                .tokens
                .hash_one(self.next.fetch_add(1, Ordering::Relaxed));
            let running = format!("run:{token}");
            let runs = format!("{key}:runs");
            loop {
                let attempt: u32 = self
                    .claim
                    .key(&key)
                    .key(&runs)
                    .arg(&running)
                    .arg(millis(lease))
                    .arg(millis(self.ttl))
                    .invoke_async(&mut connection)
                    .await
                    .map_err(store_error)?;
                if attempt > 0 {
                    return Ok(Claim::First { token, attempt });
                }
                let current: Option<Vec<u8>> = redis::cmd("GET")
                    .arg(&key)
                    .query_async(&mut connection)
                    .await
                    .map_err(store_error)?;
                match current {
                    // Released or expired between the two commands: claim again.
                    None => continue,
                    Some(value) if value.starts_with(b"run:") => tokio::time::sleep(POLL).await,
                    Some(value) => {
                        return decode(&value).map(Claim::Recorded).ok_or_else(|| {
                            StoreError(format!("{key} holds a value this store did not write"))
                        });
                    }
                }
            }
        })
    }

    fn record<'a>(
        &'a self,
        key: &'a str,
        token: u64,
        answer: &'a RecordedAnswer,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut connection = self.connection().await?;
            let _recorded: i64 = self
                .record
                .key(self.key(key))
                .arg(format!("run:{token}"))
                .arg(format!("done:{token}:"))
                .arg(encode(token, answer))
                .arg(millis(self.ttl))
                .invoke_async(&mut connection)
                .await
                .map_err(store_error)?;
            Ok(())
        })
    }

    fn release<'a>(&'a self, key: &'a str, token: u64) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut connection = self.connection().await?;
            let _released: i64 = self
                .release
                .key(self.key(key))
                .arg(format!("run:{token}"))
                .invoke_async(&mut connection)
                .await
                .map_err(store_error)?;
            Ok(())
        })
    }

    fn ready(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(self.ping())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_as_written() {
        let answer = RecordedAnswer {
            status: JobStatus::Ignored,
            body: r#"{"message":"a: b: c"}"#.into(),
        };
        assert_eq!(decode(&encode(42, &answer)), Some(answer));
        assert_eq!(decode(b"run:42"), None);
        assert_eq!(decode(b"done:1:unknown:{}"), None);
    }
}
