//! The default delivery store: in this process's memory, bounded and with expiry.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use hashlink::LinkedHashMap;
use std::sync::Arc;

use tokio::sync::Notify;

use super::{
    Claim, DEFAULT_MEMORY_CAPACITY, DEFAULT_RECORD_TTL, DeliveryStore, RecordedAnswer, StoreError,
};

/// Records deliveries in memory: enough for one replica of a plugin. Holds at most `capacity`
/// keys (the oldest go first) and forgets an outcome `ttl` after it was recorded.
///
/// Several replicas behind a load balancer each have their own memory: give them a shared store
/// (`RedisStore`, feature `redis`) instead.
///
/// ```
/// use std::time::Duration;
/// use envoy_plugin::deliveries::{Claim, DeliveryStore, MemoryStore, RecordedAnswer};
/// use envoy_plugin::JobStatus;
///
/// # actix_web::rt::System::new().block_on(async {
/// let store = MemoryStore::new(1_000, Duration::from_secs(3600));
/// let lease = Duration::from_secs(30);
/// let Claim::First { token } = store.claim("job-1", lease).await.unwrap() else { panic!() };
/// let answer = RecordedAnswer { status: JobStatus::Done, body: r#"{"message":"ok"}"#.into() };
/// store.record("job-1", token, &answer).await.unwrap();
/// assert_eq!(store.claim("job-1", lease).await.unwrap(), Claim::Recorded(answer));
/// # });
/// ```
#[derive(Debug)]
pub struct MemoryStore {
    state: Mutex<State>,
    capacity: usize,
    ttl: Duration,
}

#[derive(Debug, Default)]
struct State {
    /// In the order of their last change, oldest first: expiry and eviction pop from the front.
    slots: LinkedHashMap<String, Slot>,
    next_token: u64,
}

#[derive(Debug)]
struct Slot {
    token: u64,
    since: Instant,
    state: SlotState,
}

#[derive(Debug)]
enum SlotState {
    /// A worker runs. The first duplicate to wait for it makes the notifier (most runs have no
    /// duplicate, and then cost no allocation for it); recording or releasing wakes every waiter.
    Running(Option<Arc<Notify>>),
    Recorded(RecordedAnswer),
}

impl Default for MemoryStore {
    /// [`DEFAULT_MEMORY_CAPACITY`] keys, kept [`DEFAULT_RECORD_TTL`].
    fn default() -> Self {
        MemoryStore::new(DEFAULT_MEMORY_CAPACITY, DEFAULT_RECORD_TTL)
    }
}

impl MemoryStore {
    /// A store of at most `capacity` keys, each forgotten `ttl` after its outcome was recorded.
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        MemoryStore {
            state: Mutex::new(State::default()),
            capacity: capacity.max(1),
            ttl,
        }
    }

    /// How many keys the store holds now.
    pub fn len(&self) -> usize {
        self.lock().slots.len()
    }

    /// Whether the store holds no key.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic never happens while the lock is held (no user code runs under it), so a poisoned
        // lock still holds consistent state.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// One look at `key`: a claim or an answer, or the notifier to wait on and how long to wait.
    fn try_claim(&self, key: &str, lease: Duration) -> Result<Claim, (Arc<Notify>, Duration)> {
        let now = Instant::now();
        let mut state = self.lock();
        state.expire(now, self.ttl, lease);
        let token = state.next_token;
        match state.slots.get_mut(key) {
            Some(slot) => match &mut slot.state {
                SlotState::Recorded(answer) => Ok(Claim::Recorded(answer.clone())),
                SlotState::Running(waiters) => {
                    let held = now.saturating_duration_since(slot.since);
                    if held < lease {
                        let notify = waiters.get_or_insert_with(Default::default).clone();
                        return Err((notify, lease - held));
                    }
                    // The run that held it is taken to be dead: its claim passes to this caller.
                    slot.wake();
                    *slot = Slot::running(token, now);
                    state.slots.to_back(key);
                    state.next_token += 1;
                    Ok(Claim::First { token })
                }
            },
            None => {
                state
                    .slots
                    .insert(key.to_owned(), Slot::running(token, now));
                state.next_token += 1;
                state.evict_over(self.capacity);
                Ok(Claim::First { token })
            }
        }
    }
}

impl Slot {
    fn running(token: u64, since: Instant) -> Self {
        Slot {
            token,
            since,
            state: SlotState::Running(None),
        }
    }

    /// Wakes the duplicates waiting for this run, if any.
    fn wake(&self) {
        if let SlotState::Running(Some(waiters)) = &self.state {
            waiters.notify_waiters();
        }
    }
}

impl State {
    /// Drops recorded outcomes older than `ttl` and runs older than `lease` from the front.
    fn expire(&mut self, now: Instant, ttl: Duration, lease: Duration) {
        while let Some((_, slot)) = self.slots.front() {
            let keep_for = match slot.state {
                SlotState::Recorded(_) => ttl,
                SlotState::Running(_) => lease.max(ttl),
            };
            if now.saturating_duration_since(slot.since) < keep_for {
                break;
            }
            if let Some((_, slot)) = self.slots.pop_front() {
                slot.wake();
            }
        }
    }

    /// Drops the oldest keys until at most `capacity` are left.
    fn evict_over(&mut self, capacity: usize) {
        while self.slots.len() > capacity {
            if let Some((_, slot)) = self.slots.pop_front() {
                slot.wake();
            }
        }
    }
}

impl DeliveryStore for MemoryStore {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        Box::pin(async move {
            loop {
                match self.try_claim(key, lease) {
                    Ok(claim) => return Ok(claim),
                    Err((waiters, wait)) => {
                        // Waiting from before the second look, so that a run ending between the
                        // two looks still wakes this caller.
                        let woken = waiters.notified();
                        if let Ok(claim) = self.try_claim(key, lease) {
                            return Ok(claim);
                        }
                        // Woken when the run records or releases, or when its lease is over.
                        let _ = tokio::time::timeout(wait, woken).await;
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
        let mut state = self.lock();
        let recorded = Slot {
            token,
            since: Instant::now(),
            state: SlotState::Recorded(answer.clone()),
        };
        match state.slots.get_mut(key) {
            Some(slot) if slot.token == token => {
                slot.wake();
                *slot = recorded;
                state.slots.to_back(key);
            }
            // Another run holds the key now (this one outlived its lease): its record wins.
            Some(_) => {}
            None => {
                // Expired or evicted while the worker ran: record it all the same.
                state.slots.insert(key.to_owned(), recorded);
                state.evict_over(self.capacity);
            }
        }
        Box::pin(std::future::ready(Ok(())))
    }

    fn release<'a>(&'a self, key: &'a str, token: u64) -> BoxFuture<'a, Result<(), StoreError>> {
        let mut state = self.lock();
        let held_by_token = state
            .slots
            .get(key)
            .is_some_and(|slot| slot.token == token && matches!(slot.state, SlotState::Running(_)));
        if held_by_token && let Some(slot) = state.slots.remove(key) {
            slot.wake();
        }
        Box::pin(std::future::ready(Ok(())))
    }
}
