//! The default delivery store: in this process's memory, bounded and with expiry.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher as _, BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
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
    /// Two independent keyed hashes make a key's 128-bit name in the table.
    hashers: [RandomState; 2],
}

/// The table of slots, and their order. Keys are kept as 128-bit keyed hashes and slots inline, so
/// that a record costs no allocation but its answer's body: a store holding tens of thousands of
/// records must not slow down every other allocation of the server.
#[derive(Debug, Default)]
struct State {
    slots: HashMap<u128, Slot, BuildHasherDefault<Prehashed>>,
    /// Each slot's key and token, in the order they were claimed, oldest first: expiry and
    /// eviction pop from the front. An entry whose slot has since been released or claimed anew
    /// (another token) is stale and skipped.
    order: VecDeque<(u128, u64)>,
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

/// The table's hasher: its keys are keyed hashes already, so their low bits are used as they are.
#[derive(Debug, Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u128` is used; this is for completeness.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }
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
            hashers: [RandomState::new(), RandomState::new()],
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

    /// The key's name in the table. Two different keys share one with a chance of 2^-128 per
    /// pair: never, in practice.
    fn name(&self, key: &str) -> u128 {
        let [a, b] = &self.hashers;
        (u128::from(a.hash_one(key)) << 64) | u128::from(b.hash_one(key))
    }

    /// One look at `key`: a claim or an answer, or the notifier to wait on and how long to wait.
    fn try_claim(&self, key: u128, lease: Duration) -> Result<Claim, (Arc<Notify>, Duration)> {
        let now = Instant::now();
        let mut state = self.lock();
        state.expire(now, self.ttl, lease);
        let token = state.next_token;
        match state.slots.get_mut(&key) {
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
                    state.claimed(key, token, self.capacity);
                    Ok(Claim::First { token })
                }
            },
            None => {
                state.slots.insert(key, Slot::running(token, now));
                state.claimed(key, token, self.capacity);
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
    /// Puts the slot just claimed (or recorded anew) with `token` in order, and makes room.
    fn claimed(&mut self, key: u128, token: u64, capacity: usize) {
        self.order.push_back((key, token));
        self.next_token = self.next_token.max(token + 1);
        while self.slots.len() > capacity {
            self.pop_front();
        }
    }

    /// Drops the oldest entry of the order, and its slot if the entry is not stale.
    fn pop_front(&mut self) {
        if let Some((key, token)) = self.order.pop_front()
            && self.slots.get(&key).is_some_and(|slot| slot.token == token)
            && let Some(slot) = self.slots.remove(&key)
        {
            slot.wake();
        }
    }

    /// Drops stale entries, recorded outcomes older than `ttl` and runs older than `lease` from the
    /// front.
    fn expire(&mut self, now: Instant, ttl: Duration, lease: Duration) {
        while let Some(&(key, token)) = self.order.front() {
            let done = match self.slots.get(&key) {
                Some(slot) if slot.token == token => {
                    let keep_for = match slot.state {
                        SlotState::Recorded(_) => ttl,
                        SlotState::Running(_) => lease.max(ttl),
                    };
                    now.saturating_duration_since(slot.since) >= keep_for
                }
                _ => true,
            };
            if !done {
                break;
            }
            self.pop_front();
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
            let key = self.name(key);
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
        let key = self.name(key);
        let mut state = self.lock();
        let recorded = Slot {
            token,
            since: Instant::now(),
            state: SlotState::Recorded(answer.clone()),
        };
        match state.slots.get_mut(&key) {
            Some(slot) if slot.token == token => {
                slot.wake();
                *slot = recorded;
            }
            // Another run holds the key now (this one outlived its lease): its record wins.
            Some(_) => {}
            None => {
                // Expired or evicted while the worker ran: record it all the same.
                state.slots.insert(key, recorded);
                state.claimed(key, token, self.capacity);
            }
        }
        Box::pin(std::future::ready(Ok(())))
    }

    fn release<'a>(&'a self, key: &'a str, token: u64) -> BoxFuture<'a, Result<(), StoreError>> {
        let key = self.name(key);
        let mut state = self.lock();
        let held_by_token = state
            .slots
            .get(&key)
            .is_some_and(|slot| slot.token == token && matches!(slot.state, SlotState::Running(_)));
        if held_by_token && let Some(slot) = state.slots.remove(&key) {
            slot.wake();
        }
        Box::pin(std::future::ready(Ok(())))
    }
}
