//! The default delivery store: in this process's memory, bounded and with expiry.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher as _, BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use futures_util::future::BoxFuture;
use tokio::sync::Notify;

use crate::JobStatus;

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
/// let Claim::First { token, attempt: 1 } = store.claim("job-1", lease).await.unwrap() else { panic!() };
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
    /// Times in the table are milliseconds since this instant (8 bytes a slot, not 16).
    epoch: Instant,
}

/// The table of slots, and their order. Keys are kept as 128-bit keyed hashes and slots inline, so
/// that claiming costs no allocation, and recording one: the answer's body, copied at its exact size.
/// A store holding tens of thousands of records must stay small and must not slow down every other
/// allocation of the server.
#[derive(Debug, Default)]
struct State {
    slots: HashMap<u128, Slot, BuildHasherDefault<Prehashed>>,
    /// Each slot's key and token, in the order they were claimed, oldest first: expiry and
    /// eviction pop from the front. An entry whose slot has since been released or claimed anew
    /// (another token) is stale and skipped; stale entries are swept out once they outnumber the
    /// live ones, so the queue never holds more than about twice the slots.
    order: VecDeque<(u128, u64)>,
    next_token: u64,
}

#[derive(Debug)]
struct Slot {
    token: u64,
    /// When it was claimed or last recorded, in milliseconds since the store's epoch.
    since: u64,
    state: SlotState,
}

#[derive(Debug)]
enum SlotState {
    /// A worker runs. The first duplicate to wait for it makes the notifier (most runs have no
    /// duplicate, and then cost no allocation for it); recording or releasing wakes every waiter.
    /// A running claim is never evicted to make room: dropping it would let a duplicate run.
    /// `runs` counts the runs of the key so far, this one included (each state carries it, in
    /// room the enum has anyway).
    Running(Option<Arc<Notify>>, u32),
    /// The answer, its body at its exact size (a shared `Bytes` would keep the serializer's spare
    /// capacity alive, and its sharing header).
    Recorded {
        status: JobStatus,
        runs: u32,
        body: Box<[u8]>,
    },
    /// The last run gave its claim up without an outcome; the next claim is a retry.
    Released(u32),
}

// A slot's size is what the README's "memory per remembered delivery" is made of: the count of
// runs lives in room the state has anyway.
const _: () = assert!(std::mem::size_of::<Slot>() <= 40);

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
    /// A store of at most `capacity` recorded keys, each forgotten `ttl` after its outcome was
    /// recorded. Claims still running are never evicted, so the store can hold more keys than
    /// `capacity` by the number of workers running at once.
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        MemoryStore {
            state: Mutex::new(State::default()),
            capacity: capacity.max(1),
            ttl,
            hashers: [RandomState::new(), RandomState::new()],
            epoch: Instant::now(),
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

    /// Now, in milliseconds since the store's epoch.
    fn now(&self) -> u64 {
        millis(self.epoch.elapsed())
    }

    /// The key's name in the table. Two different keys share one with a chance of 2^-128 per
    /// pair: never, in practice.
    fn name(&self, key: &str) -> u128 {
        let [a, b] = &self.hashers;
        (u128::from(a.hash_one(key)) << 64) | u128::from(b.hash_one(key))
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// How many stale entries the order queue may hold beyond its live ones before it is swept.
const STALE_SLACK: usize = 64;

impl State {
    /// One look at `key` at time `now`: a claim or an answer, or the notifier to wait on and how
    /// long to wait (milliseconds).
    fn try_claim(
        &mut self,
        key: u128,
        now: u64,
        lease: u64,
        ttl: u64,
        capacity: usize,
    ) -> Result<Claim, (Arc<Notify>, u64)> {
        self.expire(now, ttl, lease);
        let token = self.next_token;
        match self.slots.get_mut(&key) {
            Some(slot) => match &mut slot.state {
                SlotState::Recorded { status, body, .. } => Ok(Claim::Recorded(RecordedAnswer {
                    status: *status,
                    body: Bytes::copy_from_slice(body),
                })),
                SlotState::Running(waiters, runs) => {
                    let held = now.saturating_sub(slot.since);
                    if held < lease {
                        let notify = waiters.get_or_insert_with(Default::default).clone();
                        return Err((notify, lease - held));
                    }
                    // The run that held it is taken to be dead: its claim passes to this caller.
                    let attempt = runs.saturating_add(1);
                    slot.wake();
                    *slot = Slot::running(token, now, attempt);
                    self.claimed(key, token, capacity);
                    Ok(Claim::First { token, attempt })
                }
                SlotState::Released(runs) => {
                    let attempt = runs.saturating_add(1);
                    *slot = Slot::running(token, now, attempt);
                    self.claimed(key, token, capacity);
                    Ok(Claim::First { token, attempt })
                }
            },
            None => {
                self.slots.insert(key, Slot::running(token, now, 1));
                self.claimed(key, token, capacity);
                Ok(Claim::First { token, attempt: 1 })
            }
        }
    }

    /// Records `answer` for the run of `key` holding `token`.
    fn record(
        &mut self,
        key: u128,
        token: u64,
        answer: &RecordedAnswer,
        now: u64,
        capacity: usize,
    ) {
        let recorded = |runs| SlotState::Recorded {
            status: answer.status,
            runs,
            body: Box::from(&answer.body[..]),
        };
        match self.slots.get_mut(&key) {
            Some(slot) if slot.token == token => {
                slot.wake();
                slot.since = now;
                slot.state = recorded(slot.runs());
                // Running claims may have held the table over capacity: this one can go now.
                self.make_room(capacity);
            }
            // Another run holds the key now (this one outlived its lease): its record wins.
            Some(_) => {}
            None => {
                // Expired or evicted while the worker ran: record it all the same.
                self.slots.insert(
                    key,
                    Slot {
                        token,
                        since: now,
                        state: recorded(1),
                    },
                );
                self.claimed(key, token, capacity);
            }
        }
    }

    /// Gives up the claim of `key` holding `token`, if it still runs. The slot stays, as a
    /// count of its runs, so that the platform's retry is known for one (evicted and expired like
    /// a record).
    fn release(&mut self, key: u128, token: u64, now: u64, capacity: usize) {
        if let Some(slot) = self.slots.get_mut(&key)
            && slot.token == token
            && let SlotState::Running(_, runs) = slot.state
        {
            slot.wake();
            slot.since = now;
            slot.state = SlotState::Released(runs);
            // No longer a running claim: it counts towards the bound now.
            self.make_room(capacity);
        }
    }

    /// Puts the slot just claimed (or recorded anew) with `token` in order, and makes room.
    fn claimed(&mut self, key: u128, token: u64, capacity: usize) {
        self.order.push_back((key, token));
        self.next_token = self.next_token.max(token + 1);
        self.make_room(capacity);
        if self.order.len() > 2 * self.slots.len() + STALE_SLACK {
            self.sweep();
        }
    }

    /// Whether the order entry `(key, token)` still names its slot.
    fn is_live(&self, key: u128, token: u64) -> bool {
        self.slots.get(&key).is_some_and(|slot| slot.token == token)
    }

    /// Drops stale entries from the order: after it, the queue holds one entry per slot at most.
    /// Amortized, it costs O(1) a claim: a sweep of `n` entries follows at least `n / 2` claims.
    fn sweep(&mut self) {
        let mut order = std::mem::take(&mut self.order);
        order.retain(|&(key, token)| self.is_live(key, token));
        self.order = order;
    }

    /// Evicts the oldest recorded slots until at most `capacity` remain. A running claim is moved
    /// to the back instead: evicting it would let a duplicate run while it still runs.
    fn make_room(&mut self, capacity: usize) {
        let mut looked_at = 0;
        while self.slots.len() > capacity && looked_at < self.order.len() {
            looked_at += 1;
            let Some((key, token)) = self.order.pop_front() else {
                break;
            };
            match self.slots.get(&key) {
                Some(slot) if slot.token == token => {
                    if let SlotState::Running(..) = slot.state {
                        self.order.push_back((key, token));
                    } else {
                        self.slots.remove(&key);
                    }
                }
                _ => {}
            }
        }
    }

    /// Drops stale entries, recorded outcomes older than `ttl` and runs older than their lease
    /// (their process is taken to be dead) from the front.
    fn expire(&mut self, now: u64, ttl: u64, lease: u64) {
        while let Some(&(key, token)) = self.order.front() {
            let done = match self.slots.get(&key) {
                Some(slot) if slot.token == token => {
                    let keep_for = match slot.state {
                        SlotState::Recorded { .. } | SlotState::Released(_) => ttl,
                        SlotState::Running(..) => lease.max(ttl),
                    };
                    now.saturating_sub(slot.since) >= keep_for
                }
                _ => true,
            };
            if !done {
                break;
            }
            self.order.pop_front();
            if self.is_live(key, token)
                && let Some(slot) = self.slots.remove(&key)
            {
                slot.wake();
            }
        }
    }
}

impl Slot {
    fn running(token: u64, since: u64, runs: u32) -> Self {
        Slot {
            token,
            since,
            state: SlotState::Running(None, runs),
        }
    }

    /// How many runs the key has had.
    fn runs(&self) -> u32 {
        match self.state {
            SlotState::Running(_, runs)
            | SlotState::Recorded { runs, .. }
            | SlotState::Released(runs) => runs,
        }
    }

    /// Wakes the duplicates waiting for this run, if any.
    fn wake(&self) {
        if let SlotState::Running(Some(waiters), _) = &self.state {
            waiters.notify_waiters();
        }
    }
}

impl DeliveryStore for MemoryStore {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        let key = self.name(key);
        let (lease, ttl) = (millis(lease), millis(self.ttl));
        let try_claim = move || {
            self.lock()
                .try_claim(key, self.now(), lease, ttl, self.capacity)
        };
        // Most claims are settled on the first look: no future state to keep for them.
        let first = try_claim();
        Box::pin(async move {
            let mut look = first;
            loop {
                match look {
                    Ok(claim) => return Ok(claim),
                    Err((waiters, wait)) => {
                        // Waiting from before the second look, so that a run ending between the
                        // two looks still wakes this caller.
                        let woken = waiters.notified();
                        if let Ok(claim) = try_claim() {
                            return Ok(claim);
                        }
                        // Woken when the run records or releases, or when its lease is over.
                        let _ = tokio::time::timeout(Duration::from_millis(wait), woken).await;
                        look = try_claim();
                    }
                }
            }
        })
    }

    fn claim_at_once(&self, key: &str, lease: Duration) -> Option<Result<Claim, StoreError>> {
        let key = self.name(key);
        let (lease, ttl) = (millis(lease), millis(self.ttl));
        let look = self
            .lock()
            .try_claim(key, self.now(), lease, ttl, self.capacity);
        // A run of the key is going on: waiting for it takes `claim`.
        look.ok().map(Ok)
    }

    fn record<'a>(
        &'a self,
        key: &'a str,
        token: u64,
        answer: &'a RecordedAnswer,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let key = self.name(key);
        let now = self.now();
        self.lock().record(key, token, answer, now, self.capacity);
        Box::pin(Done)
    }

    fn release<'a>(&'a self, key: &'a str, token: u64) -> BoxFuture<'a, Result<(), StoreError>> {
        let key = self.name(key);
        let now = self.now();
        self.lock().release(key, token, now, self.capacity);
        Box::pin(Done)
    }
}

/// A future that is ready at once with `Ok(())`. It has no size, so boxing it allocates nothing.
struct Done;

impl std::future::Future for Done {
    type Output = Result<(), StoreError>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        std::task::Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    const CAPACITY: usize = 3;
    const LEASE: u64 = 50;
    const TTL: u64 = 200;

    #[derive(Debug, Clone)]
    enum Op {
        Claim(u8),
        Record(u8),
        Release(u8),
        Wait(u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..8).prop_map(Op::Claim),
            (0u8..8).prop_map(Op::Record),
            (0u8..8).prop_map(Op::Release),
            (0u64..80).prop_map(Op::Wait),
        ]
    }

    fn answer() -> RecordedAnswer {
        RecordedAnswer {
            status: JobStatus::Done,
            body: Bytes::from_static(b"{}"),
        }
    }

    /// The queue holds at most one live entry per slot plus the stale slack, and the table holds
    /// at most `capacity` keys beyond the claims still running.
    fn assert_bounded(state: &State, running: usize) {
        assert!(
            state.order.len() <= 2 * state.slots.len() + STALE_SLACK + 1,
            "{} entries queued for {} slots",
            state.order.len(),
            state.slots.len()
        );
        assert!(state.slots.len() <= CAPACITY + running);
    }

    proptest! {
        /// Whatever the sequence of claims, records, releases and waits: a claim still running
        /// within its lease is never handed out again (so never run twice), and memory stays bounded.
        #[test]
        fn running_claims_are_never_lost_and_memory_stays_bounded(ops in proptest::collection::vec(op(), 1..400)) {
            let mut state = State::default();
            let mut now = 0;
            // key -> (token, claimed at) of the runs this test holds.
            let mut running: HashMap<u8, (u64, u64)> = HashMap::new();
            for op in ops {
                match op {
                    Op::Claim(key) => {
                        match state.try_claim(u128::from(key), now, LEASE, TTL, CAPACITY) {
                            Ok(Claim::First { token, .. }) => {
                                if let Some((_, since)) = running.get(&key) {
                                    prop_assert!(now - since >= LEASE, "key {key} claimed twice within its lease");
                                }
                                running.insert(key, (token, now));
                            }
                            Ok(Claim::Recorded(_)) => prop_assert!(
                                running.get(&key).is_none_or(|(_, since)| now - since >= LEASE),
                                "key {key} answered as recorded while it runs"
                            ),
                            Err(_) => prop_assert!(running.contains_key(&key), "key {key} waits on nothing"),
                        }
                    }
                    Op::Record(key) => {
                        if let Some((token, _)) = running.remove(&key) {
                            state.record(u128::from(key), token, &answer(), now, CAPACITY);
                        }
                    }
                    Op::Release(key) => {
                        if let Some((token, _)) = running.remove(&key) {
                            state.release(u128::from(key), token, now, CAPACITY);
                        }
                    }
                    Op::Wait(ms) => now += ms,
                }
                assert_bounded(&state, running.len());
            }
        }
    }

    /// The attempt a claim is: one more after each release, or each run taken over past its lease.
    #[test]
    fn a_retry_after_a_release_or_a_dead_run_is_the_next_attempt() {
        let mut state = State::default();
        let claim = |state: &mut State, now| match state.try_claim(7, now, LEASE, TTL, CAPACITY) {
            Ok(Claim::First { token, attempt }) => (token, attempt),
            other => panic!("a first claim, not {other:?}"),
        };
        let (token, attempt) = claim(&mut state, 0);
        assert_eq!(attempt, 1);
        state.release(7, token, 10, CAPACITY);
        let (_dead, attempt) = claim(&mut state, 20);
        assert_eq!(attempt, 2);
        // Its process died: past the lease, the next claim takes it over.
        let (token, attempt) = claim(&mut state, 20 + LEASE);
        assert_eq!(attempt, 3);
        state.record(7, token, &answer(), 20 + LEASE, CAPACITY);
        assert!(matches!(
            state.try_claim(7, 30 + LEASE, LEASE, TTL, CAPACITY),
            Ok(Claim::Recorded(_))
        ));
        // Forgotten after the ttl, like a record: a delivery after that is a first attempt.
        let mut state = State::default();
        let (token, _) = claim(&mut state, 0);
        state.release(7, token, 0, CAPACITY);
        assert_eq!(claim(&mut state, TTL + 1).1, 1);
    }

    #[test]
    fn claims_released_behind_a_live_record_do_not_pile_up() {
        let mut state = State::default();
        let Ok(Claim::First { token, .. }) = state.try_claim(u128::MAX, 0, LEASE, TTL, CAPACITY)
        else {
            panic!("a first claim")
        };
        state.record(u128::MAX, token, &answer(), 0, CAPACITY);
        for n in 0..100_000u128 {
            let Ok(Claim::First { token, .. }) = state.try_claim(n, 1, LEASE, TTL, CAPACITY) else {
                panic!("a first claim")
            };
            state.release(n, token, 1, CAPACITY);
        }
        // Released slots are kept to count retries, within the bound like records.
        assert!(state.slots.len() <= CAPACITY, "{}", state.slots.len());
        assert!(
            state.order.len() <= 2 + STALE_SLACK + 1,
            "{}",
            state.order.len()
        );
    }
}
