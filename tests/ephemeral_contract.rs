//! The contract of `zeinet::ephemeral::Ephemeral`, run against every implementation.
//!
//! Each case below is written once against the trait. The `memory` module runs every case
//! on a fresh `MemoryStore`; the `redis` module runs the same cases on a `RedisStore` with a
//! random key prefix when `TEST_REDIS_URL` is set, and reports itself skipped otherwise; the
//! `required_only` module runs them on the trait's default methods (a store that implements
//! only the required ones).
//! Sleeps exceed short TTLs by a wide margin: they check that expiry happens, not how fast.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Barrier;
use zeinet::ephemeral::redis_store::RedisStore;
use zeinet::ephemeral::{Acquired, Ephemeral, EphemeralError, Lock, Once, Versioned, connect};

const LONG: Duration = Duration::from_secs(60);
const SHORT: Duration = Duration::from_millis(150);
const PAST_SHORT: Duration = Duration::from_millis(300);
const TASKS: usize = 50;

// ---------------------------------------------------------------- cases on `&dyn Ephemeral`

async fn get_of_absent_key_is_none(store: &dyn Ephemeral) {
    assert_eq!(store.get("absent").await.unwrap(), None);
    assert_eq!(store.ttl("absent").await.unwrap(), None);
}

async fn cas_with_expected_none_creates_at_version_one(store: &dyn Ephemeral) {
    assert_eq!(
        store
            .compare_and_set("k", None, b"first", LONG)
            .await
            .unwrap(),
        Some(1)
    );
    assert_eq!(
        store.get("k").await.unwrap(),
        Some(Versioned {
            value: b"first".to_vec(),
            version: 1
        })
    );
    // `None` means "only if absent": the key now exists, so a second create loses.
    assert_eq!(
        store
            .compare_and_set("k", None, b"second", LONG)
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.get("k").await.unwrap().unwrap().value, b"first");
}

async fn cas_with_stale_version_fails_and_keeps_value(store: &dyn Ephemeral) {
    store.compare_and_set("k", None, b"v1", LONG).await.unwrap();
    assert_eq!(
        store
            .compare_and_set("k", Some(1), b"v2", LONG)
            .await
            .unwrap(),
        Some(2)
    );
    // A writer still holding version 1 must lose and change nothing.
    assert_eq!(
        store
            .compare_and_set("k", Some(1), b"stale", LONG)
            .await
            .unwrap(),
        None
    );
    // So must one expecting a version from the future, or one on an absent key.
    assert_eq!(
        store
            .compare_and_set("k", Some(7), b"future", LONG)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .compare_and_set("other", Some(1), b"x", LONG)
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.get("other").await.unwrap(), None);
    assert_eq!(
        store.get("k").await.unwrap(),
        Some(Versioned {
            value: b"v2".to_vec(),
            version: 2
        })
    );
}

async fn versions_grow_by_one(store: &dyn Ephemeral) {
    let mut expected = None;
    for round in 1..=5u64 {
        let value = format!("round {round}");
        let version = store
            .compare_and_set("k", expected, value.as_bytes(), LONG)
            .await
            .unwrap();
        assert_eq!(version, Some(round));
        let stored = store.get("k").await.unwrap().unwrap();
        assert_eq!(stored.version, round);
        assert_eq!(stored.value, value.as_bytes());
        expected = version;
    }
}

async fn values_are_binary_safe(store: &dyn Ephemeral) {
    let every_byte: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
    store
        .compare_and_set("bytes", None, &every_byte, LONG)
        .await
        .unwrap();
    assert_eq!(store.get("bytes").await.unwrap().unwrap().value, every_byte);

    assert!(store.set_if_absent("empty", b"", LONG).await.unwrap());
    assert_eq!(
        store.get("empty").await.unwrap(),
        Some(Versioned {
            value: Vec::new(),
            version: 1
        })
    );
    // An empty owner token must not release a key that is absent or holds something else.
    assert!(!store.delete_if_equals("absent", b"").await.unwrap());
    assert!(!store.delete_if_equals("bytes", b"").await.unwrap());
    assert!(store.delete_if_equals("empty", b"").await.unwrap());
}

async fn entries_expire(store: &dyn Ephemeral) {
    store
        .compare_and_set("cas", None, b"v", SHORT)
        .await
        .unwrap();
    store.set_if_absent("nx", b"owner", SHORT).await.unwrap();
    assert!(store.get("cas").await.unwrap().is_some());
    tokio::time::sleep(PAST_SHORT).await;

    assert_eq!(store.get("cas").await.unwrap(), None);
    assert_eq!(store.get("nx").await.unwrap(), None);
    assert_eq!(store.ttl("cas").await.unwrap(), None);
    // An expired key is absent for every operation: it can be created afresh at version 1...
    assert_eq!(
        store
            .compare_and_set("cas", None, b"again", LONG)
            .await
            .unwrap(),
        Some(1)
    );
    // ...taken again, and an expired owner cannot release the new holder's key.
    assert!(!store.delete_if_equals("nx", b"owner").await.unwrap());
    assert!(store.set_if_absent("nx", b"next", LONG).await.unwrap());
    assert!(!store.delete_if_equals("nx", b"owner").await.unwrap());
    assert_eq!(store.get("nx").await.unwrap().unwrap().value, b"next");
}

async fn a_write_renews_the_expiry(store: &dyn Ephemeral) {
    store
        .compare_and_set("k", None, b"v1", SHORT)
        .await
        .unwrap();
    store
        .compare_and_set("k", Some(1), b"v2", LONG)
        .await
        .unwrap();
    tokio::time::sleep(PAST_SHORT).await;
    assert_eq!(store.get("k").await.unwrap().unwrap().value, b"v2");
}

async fn zero_ttl_is_accepted_and_expires(store: &dyn Ephemeral) {
    assert!(
        store
            .set_if_absent("k", b"v", Duration::ZERO)
            .await
            .unwrap()
    );
    tokio::time::sleep(PAST_SHORT).await;
    assert_eq!(store.get("k").await.unwrap(), None);
}

async fn set_if_absent_sets_only_once(store: &dyn Ephemeral) {
    assert!(store.set_if_absent("k", b"first", LONG).await.unwrap());
    assert!(!store.set_if_absent("k", b"second", LONG).await.unwrap());
    assert_eq!(
        store.get("k").await.unwrap(),
        Some(Versioned {
            value: b"first".to_vec(),
            version: 1
        })
    );
    // A key written by compare-and-set counts as present too.
    store
        .compare_and_set("cas", None, b"v", LONG)
        .await
        .unwrap();
    assert!(!store.set_if_absent("cas", b"x", LONG).await.unwrap());
}

async fn delete_if_equals_only_for_the_owner(store: &dyn Ephemeral) {
    store.set_if_absent("lock", b"owner-a", LONG).await.unwrap();
    assert!(!store.delete_if_equals("lock", b"owner-b").await.unwrap());
    assert!(
        !store
            .delete_if_equals("lock", b"owner-a-longer")
            .await
            .unwrap()
    );
    assert_eq!(store.get("lock").await.unwrap().unwrap().value, b"owner-a");

    assert!(store.delete_if_equals("lock", b"owner-a").await.unwrap());
    assert_eq!(store.get("lock").await.unwrap(), None);
    assert!(!store.delete_if_equals("lock", b"owner-a").await.unwrap());
}

async fn replace_if_equals_only_while_it_holds_the_value(store: &dyn Ephemeral) {
    assert!(
        !store
            .replace_if_equals("claim", b"mine", b"done", LONG)
            .await
            .unwrap(),
        "absent"
    );
    assert_eq!(store.get("claim").await.unwrap(), None);
    store.set_if_absent("claim", b"mine", SHORT).await.unwrap();
    assert!(
        !store
            .replace_if_equals("claim", b"theirs", b"done", LONG)
            .await
            .unwrap()
    );
    assert_eq!(store.get("claim").await.unwrap().unwrap().value, b"mine");
    assert!(
        store
            .replace_if_equals("claim", b"mine", b"done", LONG)
            .await
            .unwrap()
    );
    let done = store.get("claim").await.unwrap().unwrap();
    assert_eq!((done.value.as_slice(), done.version), (&b"done"[..], 2));
    // The new expiry applies: the short one of the claim no longer does.
    tokio::time::sleep(PAST_SHORT).await;
    assert!(store.get("claim").await.unwrap().is_some());
    assert!(
        !store
            .replace_if_equals("claim", b"mine", b"again", LONG)
            .await
            .unwrap(),
        "no longer the claim"
    );
}

async fn lock_and_get_reads_only_for_the_lock_holder(store: &dyn Ephemeral) {
    // A free lock is taken, and the absent key reads as absent.
    assert_eq!(
        store
            .lock_and_get("lock", b"owner-a", LONG, "session", None)
            .await
            .unwrap(),
        Acquired::Taken(None)
    );
    assert_eq!(store.get("lock").await.unwrap().unwrap().value, b"owner-a");
    // Held: no read for another owner, and the lock stays the first one's.
    store
        .compare_and_set("session", None, b"state", LONG)
        .await
        .unwrap();
    assert_eq!(
        store
            .lock_and_get("lock", b"owner-b", LONG, "session", None)
            .await
            .unwrap(),
        Acquired::Busy
    );
    assert_eq!(store.get("lock").await.unwrap().unwrap().value, b"owner-a");
    // Released, then taken by the other with the value and its version.
    assert!(store.delete_if_equals("lock", b"owner-a").await.unwrap());
    let Acquired::Taken(Some(read)) = store
        .lock_and_get("lock", b"owner-b", SHORT, "session", None)
        .await
        .unwrap()
    else {
        panic!("the lock and the session")
    };
    assert_eq!((read.value.as_slice(), read.version), (&b"state"[..], 1));
    // The lock's own expiry applies.
    tokio::time::sleep(PAST_SHORT).await;
    assert_eq!(store.get("lock").await.unwrap(), None);
}

async fn compare_and_set_unlocking_releases_only_its_own_lock_after_a_write(store: &dyn Ephemeral) {
    store.set_if_absent("lock", b"mine", LONG).await.unwrap();
    // A stale version writes nothing and keeps the lock.
    assert_eq!(
        store
            .compare_and_set_unlocking("session", Some(3), b"x", LONG, "lock", b"mine", None)
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.get("session").await.unwrap(), None);
    assert_eq!(store.get("lock").await.unwrap().unwrap().value, b"mine");
    // A write releases the lock it owns.
    assert_eq!(
        store
            .compare_and_set_unlocking("session", None, b"v1", LONG, "lock", b"mine", None)
            .await
            .unwrap(),
        Some(1)
    );
    assert_eq!(store.get("session").await.unwrap().unwrap().value, b"v1");
    assert_eq!(store.get("lock").await.unwrap(), None);
    // ...but never somebody else's.
    store.set_if_absent("lock", b"theirs", LONG).await.unwrap();
    assert_eq!(
        store
            .compare_and_set_unlocking("session", Some(1), b"v2", LONG, "lock", b"mine", None)
            .await
            .unwrap(),
        Some(2)
    );
    assert_eq!(store.get("lock").await.unwrap().unwrap().value, b"theirs");
}

fn once<'a>(claim: &'a [u8], claim_ttl: Duration) -> Once<'a> {
    Once {
        key: "update:7",
        claim,
        claim_ttl,
        done: b"done",
        done_ttl: LONG,
    }
}

/// `lock_and_get` of the lock "lock" and the key "session" for `owner`, with `once`.
async fn take(store: &dyn Ephemeral, owner: &[u8], ttl: Duration, once: Once<'_>) -> Acquired {
    store
        .lock_and_get("lock", owner, ttl, "session", Some(once))
        .await
        .unwrap()
}

async fn value_of(store: &dyn Ephemeral, key: &str) -> Option<Vec<u8>> {
    store.get(key).await.unwrap().map(|stored| stored.value)
}

async fn lock_and_get_claims_a_once_mark_and_refuses_its_duplicates(store: &dyn Ephemeral) {
    let mine = once(b"claim-a", LONG);
    // A busy lock takes nothing: neither the lock nor the claim.
    store.set_if_absent("lock", b"other", LONG).await.unwrap();
    assert_eq!(take(store, b"owner-a", LONG, mine).await, Acquired::Busy);
    assert_eq!(value_of(store, "update:7").await, None);
    assert!(store.delete_if_equals("lock", b"other").await.unwrap());
    // Free: the lock and the claim are taken together.
    assert_eq!(
        take(store, b"owner-a", LONG, mine).await,
        Acquired::Taken(None)
    );
    assert_eq!(value_of(store, "update:7").await.unwrap(), b"claim-a");
    // Another delivery of the same event is a duplicate whether the lock is held or not,
    // and takes nothing.
    let theirs = once(b"claim-b", LONG);
    assert_eq!(
        take(store, b"owner-b", LONG, theirs).await,
        Acquired::Duplicate
    );
    assert_eq!(value_of(store, "lock").await.unwrap(), b"owner-a");
    assert!(store.delete_if_equals("lock", b"owner-a").await.unwrap());
    assert_eq!(
        take(store, b"owner-b", LONG, theirs).await,
        Acquired::Duplicate
    );
    assert_eq!(value_of(store, "lock").await, None, "no lock taken");
    // The holder of the claim may take the lock again (a retry of its own).
    assert_eq!(
        take(store, b"owner-a", LONG, mine).await,
        Acquired::Taken(None)
    );
    assert_eq!(value_of(store, "update:7").await.unwrap(), b"claim-a");
}

async fn a_lapsed_claim_lets_a_redelivery_through(store: &dyn Ephemeral) {
    let crashed = once(b"claim-a", SHORT);
    assert_eq!(
        take(store, b"owner-a", SHORT, crashed).await,
        Acquired::Taken(None)
    );
    tokio::time::sleep(PAST_SHORT).await;
    assert_eq!(
        take(store, b"owner-b", LONG, once(b"claim-b", LONG)).await,
        Acquired::Taken(None)
    );
    assert_eq!(value_of(store, "update:7").await.unwrap(), b"claim-b");
}

/// `compare_and_set_unlocking` of the key "session" releasing "lock" for "owner-a", with `once`.
async fn write_unlocking(
    store: &dyn Ephemeral,
    expected: Option<u64>,
    value: &[u8],
    once: Once<'_>,
) -> Option<u64> {
    store
        .compare_and_set_unlocking(
            "session",
            expected,
            value,
            LONG,
            "lock",
            b"owner-a",
            Some(once),
        )
        .await
        .unwrap()
}

async fn compare_and_set_unlocking_marks_its_own_claim_done_with_the_write(store: &dyn Ephemeral) {
    let mine = once(b"claim-a", SHORT);
    take(store, b"owner-a", LONG, mine).await;
    // No write, no mark.
    assert_eq!(write_unlocking(store, Some(5), b"x", mine).await, None);
    assert_eq!(value_of(store, "update:7").await.unwrap(), b"claim-a");
    // The write turns the claim into the done mark, with the done mark's expiry.
    assert_eq!(write_unlocking(store, None, b"v1", mine).await, Some(1));
    assert_eq!(value_of(store, "lock").await, None);
    assert_eq!(value_of(store, "update:7").await.unwrap(), b"done");
    tokio::time::sleep(PAST_SHORT).await;
    assert_eq!(
        value_of(store, "update:7").await.unwrap(),
        b"done",
        "kept for the done mark's time, not the claim's"
    );
    assert_eq!(
        take(store, b"owner-b", LONG, once(b"claim-b", LONG)).await,
        Acquired::Duplicate
    );
    // A claim that is no longer ours (it lapsed and was taken again) is left alone.
    store.delete("update:7").await.unwrap();
    store
        .set_if_absent("update:7", b"claim-c", LONG)
        .await
        .unwrap();
    assert_eq!(write_unlocking(store, Some(1), b"v2", mine).await, Some(2));
    assert_eq!(value_of(store, "update:7").await.unwrap(), b"claim-c");
}

async fn delete_removes_whatever_the_version(store: &dyn Ephemeral) {
    store.compare_and_set("k", None, b"v1", LONG).await.unwrap();
    store
        .compare_and_set("k", Some(1), b"v2", LONG)
        .await
        .unwrap();
    store.delete("k").await.unwrap();
    assert_eq!(store.get("k").await.unwrap(), None);
    assert_eq!(store.ttl("k").await.unwrap(), None);
    // Deleting an absent key is not an error.
    store.delete("k").await.unwrap();
    assert_eq!(
        store
            .compare_and_set("k", None, b"new", LONG)
            .await
            .unwrap(),
        Some(1)
    );
}

async fn increment_counts(store: &dyn Ephemeral) {
    for expected in 1..=5 {
        assert_eq!(store.increment("hits", LONG).await.unwrap(), expected);
    }
    assert_eq!(store.increment("other", LONG).await.unwrap(), 1);
    let counter = store.get("hits").await.unwrap().unwrap();
    assert_eq!(counter.value, b"5");
}

async fn increment_window_is_fixed_and_expires(store: &dyn Ephemeral) {
    assert_eq!(store.increment("hits", SHORT).await.unwrap(), 1);
    // A later increment with a much longer TTL must not extend the window.
    assert_eq!(store.increment("hits", LONG).await.unwrap(), 2);
    let left = store.ttl("hits").await.unwrap().unwrap();
    assert!(left <= SHORT, "window was extended to {left:?}");

    tokio::time::sleep(PAST_SHORT).await;
    assert_eq!(store.get("hits").await.unwrap(), None);
    // The next increment opens a new window and counts from one.
    assert_eq!(store.increment("hits", LONG).await.unwrap(), 1);
    assert!(store.ttl("hits").await.unwrap().unwrap() > SHORT);
}

async fn increment_refuses_a_value_that_is_not_a_counter(store: &dyn Ephemeral) {
    store
        .compare_and_set("k", None, b"token", LONG)
        .await
        .unwrap();
    assert!(matches!(
        store.increment("k", LONG).await,
        Err(EphemeralError::Unavailable(_))
    ));
    assert_eq!(
        store.get("k").await.unwrap(),
        Some(Versioned {
            value: b"token".to_vec(),
            version: 1
        })
    );
}

async fn ttl_reports_the_remaining_time(store: &dyn Ephemeral) {
    assert_eq!(store.ttl("k").await.unwrap(), None);
    store.compare_and_set("k", None, b"v", LONG).await.unwrap();
    let left = store.ttl("k").await.unwrap().unwrap();
    assert!(left <= LONG, "{left:?}");
    // Well above zero: the 60 s were just granted (generous, not a timing check).
    assert!(left > LONG / 2, "{left:?}");

    store.set_if_absent("short", b"v", SHORT).await.unwrap();
    let left = store.ttl("short").await.unwrap().unwrap();
    assert!(left <= SHORT, "{left:?}");
}

async fn ping_answers(store: &dyn Ephemeral) {
    store.ping().await.unwrap();
}

async fn lock_is_held_by_one_and_released_by_its_owner(store: &dyn Ephemeral) {
    let first = Lock::try_acquire(store, "job", LONG)
        .await
        .unwrap()
        .unwrap();
    assert!(
        Lock::try_acquire(store, "job", LONG)
            .await
            .unwrap()
            .is_none()
    );
    assert!(first.release(store).await.unwrap());

    let second = Lock::try_acquire(store, "job", SHORT)
        .await
        .unwrap()
        .unwrap();
    tokio::time::sleep(PAST_SHORT).await;
    let third = Lock::try_acquire(store, "job", LONG)
        .await
        .unwrap()
        .unwrap();
    // The expired holder's release must not free the lock the next holder has taken.
    assert!(!second.release(store).await.unwrap());
    assert!(
        Lock::try_acquire(store, "job", LONG)
            .await
            .unwrap()
            .is_none()
    );
    assert!(third.release(store).await.unwrap());
}

// ------------------------------------------------ concurrent cases on a shared `Ephemeral`

/// Each task adds one to a counter kept as a versioned value, retrying on conflict. All
/// tasks read before any writes (barrier), so conflicts are certain, not just possible.
async fn concurrent_cas_increments_lose_nothing(store: Arc<dyn Ephemeral>) {
    store.compare_and_set("n", None, b"0", LONG).await.unwrap();
    let barrier = Arc::new(Barrier::new(TASKS));
    let conflicts = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (store, barrier, conflicts) = (store.clone(), barrier.clone(), conflicts.clone());
            tokio::spawn(async move {
                let mut first_round = true;
                loop {
                    let current = store.get("n").await.unwrap().unwrap();
                    if first_round {
                        barrier.wait().await;
                        first_round = false;
                    }
                    let n: u64 = std::str::from_utf8(&current.value)
                        .unwrap()
                        .parse()
                        .unwrap();
                    let next = (n + 1).to_string();
                    let written = store
                        .compare_and_set("n", Some(current.version), next.as_bytes(), LONG)
                        .await
                        .unwrap();
                    if written.is_some() {
                        return;
                    }
                    conflicts.fetch_add(1, Ordering::Relaxed);
                    tokio::task::yield_now().await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let stored = store.get("n").await.unwrap().unwrap();
    assert_eq!(stored.value, TASKS.to_string().as_bytes());
    assert_eq!(stored.version, TASKS as u64 + 1);
    assert!(conflicts.load(Ordering::Relaxed) >= TASKS - 1);
}

async fn concurrent_set_if_absent_has_one_winner(store: Arc<dyn Ephemeral>) {
    let barrier = Arc::new(Barrier::new(TASKS));
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let (store, barrier) = (store.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let token = format!("task {task}");
                let won = store
                    .set_if_absent("once", token.as_bytes(), LONG)
                    .await
                    .unwrap();
                won.then_some(token)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for task in tasks {
        winners.extend(task.await.unwrap());
    }
    assert_eq!(winners.len(), 1, "winners: {winners:?}");
    assert_eq!(
        store.get("once").await.unwrap().unwrap().value,
        winners[0].as_bytes()
    );
}

// ------------------------------------------------------------------------- the two stores

fn memory_store() -> Arc<dyn Ephemeral> {
    Arc::new(zeinet::ephemeral::memory::MemoryStore::new())
}

/// The in-process store seen only through the trait's required methods, so that the
/// composite defaults (`lock_and_get`, `compare_and_set_unlocking`, ...) meet the contract too.
struct RequiredOnly(zeinet::ephemeral::memory::MemoryStore);

#[async_trait::async_trait]
impl Ephemeral for RequiredOnly {
    async fn get(&self, key: &str) -> zeinet::ephemeral::Result<Option<Versioned>> {
        self.0.get(key).await
    }
    async fn compare_and_set(
        &self,
        key: &str,
        expected: Option<u64>,
        value: &[u8],
        ttl: Duration,
    ) -> zeinet::ephemeral::Result<Option<u64>> {
        self.0.compare_and_set(key, expected, value, ttl).await
    }
    async fn delete(&self, key: &str) -> zeinet::ephemeral::Result<()> {
        self.0.delete(key).await
    }
    async fn set_if_absent(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> zeinet::ephemeral::Result<bool> {
        self.0.set_if_absent(key, value, ttl).await
    }
    async fn delete_if_equals(&self, key: &str, value: &[u8]) -> zeinet::ephemeral::Result<bool> {
        self.0.delete_if_equals(key, value).await
    }
    async fn increment(&self, key: &str, ttl: Duration) -> zeinet::ephemeral::Result<u64> {
        self.0.increment(key, ttl).await
    }
    async fn ttl(&self, key: &str) -> zeinet::ephemeral::Result<Option<Duration>> {
        self.0.ttl(key).await
    }
    async fn ping(&self) -> zeinet::ephemeral::Result<()> {
        self.0.ping().await
    }
}

fn required_only_store() -> Arc<dyn Ephemeral> {
    Arc::new(RequiredOnly(zeinet::ephemeral::memory::MemoryStore::new()))
}

/// A Redis store under a prefix no other test uses, or `None` (and a line saying so) when
/// `TEST_REDIS_URL` is unset.
async fn redis_store(test: &str) -> Option<Arc<dyn Ephemeral>> {
    let Ok(url) = std::env::var("TEST_REDIS_URL") else {
        println!("skipped redis::{test}: TEST_REDIS_URL is not set");
        return None;
    };
    let prefix = format!("zeinet-test:{test}:{:016x}:", rand::random::<u64>());
    let store = RedisStore::connect(&url)
        .await
        .expect("TEST_REDIS_URL is set but Redis is unreachable")
        .with_prefix(&prefix);
    Some(Arc::new(store))
}

macro_rules! contract {
    (borrowed: [$($case:ident),* $(,)?], shared: [$($shared:ident),* $(,)?] $(,)?) => {
        mod memory {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    super::$case(&*super::memory_store()).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $shared() {
                    super::$shared(super::memory_store()).await;
                }
            )*
        }

        mod required_only {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    super::$case(&*super::required_only_store()).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $shared() {
                    super::$shared(super::required_only_store()).await;
                }
            )*
        }

        mod redis {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    if let Some(store) = super::redis_store(stringify!($case)).await {
                        super::$case(&*store).await;
                    }
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $shared() {
                    if let Some(store) = super::redis_store(stringify!($shared)).await {
                        super::$shared(store).await;
                    }
                }
            )*
        }
    };
}

contract! {
    borrowed: [
        get_of_absent_key_is_none,
        cas_with_expected_none_creates_at_version_one,
        cas_with_stale_version_fails_and_keeps_value,
        versions_grow_by_one,
        values_are_binary_safe,
        entries_expire,
        a_write_renews_the_expiry,
        zero_ttl_is_accepted_and_expires,
        set_if_absent_sets_only_once,
        delete_if_equals_only_for_the_owner,
        replace_if_equals_only_while_it_holds_the_value,
        lock_and_get_reads_only_for_the_lock_holder,
        compare_and_set_unlocking_releases_only_its_own_lock_after_a_write,
        lock_and_get_claims_a_once_mark_and_refuses_its_duplicates,
        a_lapsed_claim_lets_a_redelivery_through,
        compare_and_set_unlocking_marks_its_own_claim_done_with_the_write,
        delete_removes_whatever_the_version,
        increment_counts,
        increment_window_is_fixed_and_expires,
        increment_refuses_a_value_that_is_not_a_counter,
        ttl_reports_the_remaining_time,
        ping_answers,
        lock_is_held_by_one_and_released_by_its_owner,
    ],
    shared: [
        concurrent_cas_increments_lose_nothing,
        concurrent_set_if_absent_has_one_winner,
    ],
}

// ------------------------------------------------------------------ Redis-specific checks

/// Upper bound on how long a failing connect may take before the test calls it a hang.
const HANG_GUARD: Duration = Duration::from_secs(15);

fn assert_unavailable<T>(result: Result<T, EphemeralError>) {
    match result {
        Err(EphemeralError::Unavailable(message)) => assert!(message.starts_with("redis ")),
        Ok(_) => panic!("expected Unavailable, got Ok"),
    }
}

#[tokio::test]
async fn redis_down_is_unavailable_not_a_hang() {
    let attempt = tokio::time::timeout(HANG_GUARD, RedisStore::connect("redis://127.0.0.1:1"));
    assert_unavailable(attempt.await.expect("connect hung"));

    // The settings-level helper reports it the same way instead of falling back to memory.
    let attempt = tokio::time::timeout(HANG_GUARD, connect(Some("redis://127.0.0.1:1")));
    assert_unavailable(attempt.await.expect("connect hung"));
}

/// A server that accepts connections and never answers: connecting or, at the latest, the
/// first command must fail within the operation timeout instead of waiting forever.
#[tokio::test]
async fn silent_redis_is_unavailable_not_a_hang() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let url = format!("redis://{address}");
    let timeout = Duration::from_millis(300);
    let attempt = tokio::time::timeout(HANG_GUARD, RedisStore::connect_with_timeout(&url, timeout))
        .await
        .expect("connect hung");
    match attempt {
        Err(err) => assert_unavailable::<()>(Err(err)),
        Ok(store) => {
            let ping = tokio::time::timeout(HANG_GUARD, store.ping())
                .await
                .expect("ping hung");
            assert_unavailable(ping);
        }
    }
    silent.abort();
}

#[tokio::test]
async fn connect_without_url_is_the_memory_store() {
    let store = connect(None).await.unwrap();
    store.ping().await.unwrap();
    assert!(store.set_if_absent("k", b"v", LONG).await.unwrap());
    assert_eq!(store.get("k").await.unwrap().unwrap().value, b"v");
}

#[tokio::test]
async fn redis_prefixes_keep_stores_apart() {
    let (Some(a), Some(b)) = (redis_store("prefix_a").await, redis_store("prefix_b").await) else {
        return;
    };
    assert!(a.set_if_absent("shared-name", b"a", LONG).await.unwrap());
    assert!(b.set_if_absent("shared-name", b"b", LONG).await.unwrap());
    assert_eq!(a.get("shared-name").await.unwrap().unwrap().value, b"a");
    assert_eq!(b.get("shared-name").await.unwrap().unwrap().value, b"b");
}
