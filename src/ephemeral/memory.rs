//! In-process implementation of [`super::Ephemeral`]: a map with expiry, the embedded default.
//!
//! One `std::sync::Mutex` guards the map; it is never held across an `.await` (every method
//! does its work synchronously under the lock), so it is cheaper than an async lock.
//! Expired entries behave as absent at once and are removed by an amortised sweep, so memory
//! stays proportional to the live keys however long the process runs.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use async_trait::async_trait;

use super::{Acquired, Ephemeral, EphemeralError, Once, Result, Versioned, clamp_ttl};

/// Fewest writes between two sweeps. Between sweeps the map may hold expired entries; sweeping
/// after `max(MIN_WRITES_BETWEEN_SWEEPS, entries kept by the last sweep)` writes keeps the cost
/// of a write O(1) amortised, while the map stays within about twice its peak of live keys.
const MIN_WRITES_BETWEEN_SWEEPS: usize = 1024;

#[derive(Debug)]
struct Entry {
    value: Vec<u8>,
    version: u64,
    expires_at: Instant,
}

impl Entry {
    fn is_live(&self, now: Instant) -> bool {
        now < self.expires_at
    }
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    writes_since_sweep: usize,
    kept_by_last_sweep: usize,
}

impl Inner {
    fn live(&self, key: &str, now: Instant) -> Option<&Entry> {
        self.entries.get(key).filter(|entry| entry.is_live(now))
    }

    /// Whether the live entry of `key` holds `value`.
    fn holds(&self, key: &str, value: &[u8], now: Instant) -> bool {
        self.live(key, now)
            .is_some_and(|entry| entry.value == value)
    }

    fn live_mut(&mut self, key: &str, now: Instant) -> Option<&mut Entry> {
        self.entries.get_mut(key).filter(|entry| entry.is_live(now))
    }

    /// [`Ephemeral::compare_and_set`] under the store's lock.
    fn compare_and_set(
        &mut self,
        key: &str,
        expected: Option<u64>,
        value: &[u8],
        ttl: Duration,
        now: Instant,
    ) -> Option<u64> {
        let current = self.live(key, now).map(|entry| entry.version);
        (current == expected).then(|| self.write(key, value.to_vec(), ttl, now))
    }

    /// Writes `value` at the next version after the live entry (or 1), with a fresh expiry.
    fn write(&mut self, key: &str, value: Vec<u8>, ttl: Duration, now: Instant) -> u64 {
        let version = self.live(key, now).map_or(1, |entry| entry.version + 1);
        let entry = Entry {
            value,
            version,
            expires_at: expires_at(now, ttl),
        };
        self.entries.insert(key.to_owned(), entry);
        self.note_write(now);
        version
    }

    /// Counts a write and sweeps expired entries once enough writes have accumulated.
    fn note_write(&mut self, now: Instant) {
        self.writes_since_sweep += 1;
        if self.writes_since_sweep >= MIN_WRITES_BETWEEN_SWEEPS.max(self.kept_by_last_sweep) {
            self.entries.retain(|_, entry| entry.is_live(now));
            self.writes_since_sweep = 0;
            self.kept_by_last_sweep = self.entries.len();
        }
    }
}

/// The in-process store. Cheap to create; share it behind an `Arc`.
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Entries held in memory, expired-but-not-yet-swept ones included (for tests and metrics).
    pub fn stored_entries(&self) -> usize {
        self.lock().entries.len()
    }

    /// A panic elsewhere while holding the lock cannot leave the map half-updated (every
    /// mutation is a single insert or remove), so a poisoned lock is safe to keep using.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn expires_at(now: Instant, ttl: Duration) -> Instant {
    // `clamp_ttl` bounds the duration to years, which an `Instant` holds on every supported
    // platform; should one not, a day is still far longer than any ephemeral use here.
    const FALLBACK: Duration = Duration::from_secs(24 * 60 * 60);
    now.checked_add(clamp_ttl(ttl))
        .or_else(|| now.checked_add(FALLBACK))
        .unwrap_or(now)
}

#[async_trait]
impl Ephemeral for MemoryStore {
    async fn get(&self, key: &str) -> Result<Option<Versioned>> {
        let now = Instant::now();
        let inner = self.lock();
        Ok(inner.live(key, now).map(|entry| Versioned {
            value: entry.value.clone(),
            version: entry.version,
        }))
    }

    async fn compare_and_set(
        &self,
        key: &str,
        expected: Option<u64>,
        value: &[u8],
        ttl: Duration,
    ) -> Result<Option<u64>> {
        Ok(self
            .lock()
            .compare_and_set(key, expected, value, ttl, Instant::now()))
    }

    async fn delete(&self, key: &str) -> Result<()> {
        self.lock().entries.remove(key);
        Ok(())
    }

    async fn set_if_absent(&self, key: &str, value: &[u8], ttl: Duration) -> Result<bool> {
        let now = Instant::now();
        let mut inner = self.lock();
        if inner.live(key, now).is_some() {
            return Ok(false);
        }
        inner.write(key, value.to_vec(), ttl, now);
        Ok(true)
    }

    async fn delete_if_equals(&self, key: &str, value: &[u8]) -> Result<bool> {
        let now = Instant::now();
        let mut inner = self.lock();
        let owned = inner.holds(key, value, now);
        if owned {
            inner.entries.remove(key);
        }
        Ok(owned)
    }

    async fn lock_and_get(
        &self,
        lock: &str,
        owner: &[u8],
        ttl: Duration,
        key: &str,
        once: Option<Once<'_>>,
    ) -> Result<Acquired> {
        let now = Instant::now();
        let mut inner = self.lock();
        let unclaimed = match once.map(|once| (once, inner.live(once.key, now))) {
            Some((once, Some(held))) if held.value != once.claim => {
                return Ok(Acquired::Duplicate);
            }
            Some((once, None)) => Some(once),
            _ => None,
        };
        if inner.live(lock, now).is_some() {
            return Ok(Acquired::Busy);
        }
        inner.write(lock, owner.to_vec(), ttl, now);
        if let Some(once) = unclaimed {
            inner.write(once.key, once.claim.to_vec(), once.claim_ttl, now);
        }
        Ok(Acquired::Taken(inner.live(key, now).map(|entry| {
            Versioned {
                value: entry.value.clone(),
                version: entry.version,
            }
        })))
    }

    async fn compare_and_set_unlocking(
        &self,
        key: &str,
        expected: Option<u64>,
        value: &[u8],
        ttl: Duration,
        lock: &str,
        owner: &[u8],
        once: Option<Once<'_>>,
    ) -> Result<Option<u64>> {
        let now = Instant::now();
        let mut inner = self.lock();
        let Some(version) = inner.compare_and_set(key, expected, value, ttl, now) else {
            return Ok(None);
        };
        if inner.holds(lock, owner, now) {
            inner.entries.remove(lock);
        }
        if let Some(once) = once
            && inner.holds(once.key, once.claim, now)
        {
            inner.write(once.key, once.done.to_vec(), once.done_ttl, now);
        }
        Ok(Some(version))
    }

    async fn replace_if_equals(
        &self,
        key: &str,
        expected: &[u8],
        value: &[u8],
        ttl: Duration,
    ) -> Result<bool> {
        let now = Instant::now();
        let mut inner = self.lock();
        let holds = inner.holds(key, expected, now);
        if holds {
            inner.write(key, value.to_vec(), ttl, now);
        }
        Ok(holds)
    }

    async fn increment(&self, key: &str, ttl: Duration) -> Result<u64> {
        let now = Instant::now();
        let mut inner = self.lock();
        let count = match inner.live_mut(key, now) {
            Some(entry) => {
                // The same refusal Redis gives for HINCRBY on a non-integer field.
                let count = parse_counter(&entry.value)
                    .and_then(|count| count.checked_add(1))
                    .ok_or_else(|| {
                        EphemeralError::Unavailable(
                            "increment: the key does not hold a counter".into(),
                        )
                    })?;
                // The window keeps its original expiry (fixed window).
                entry.value = count.to_string().into_bytes();
                entry.version += 1;
                count
            }
            None => {
                inner.write(key, b"1".to_vec(), ttl, now);
                return Ok(1);
            }
        };
        inner.note_write(now);
        Ok(count)
    }

    async fn ttl(&self, key: &str) -> Result<Option<Duration>> {
        let now = Instant::now();
        let inner = self.lock();
        Ok(inner
            .live(key, now)
            .map(|entry| entry.expires_at.saturating_duration_since(now)))
    }

    async fn ping(&self) -> Result<()> {
        Ok(())
    }
}

/// A counter is stored as its decimal digits, as Redis stores it.
fn parse_counter(value: &[u8]) -> Option<u64> {
    std::str::from_utf8(value).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn expired_entries_are_swept_as_writes_go_on() {
        let store = MemoryStore::new();
        let short = Duration::from_millis(1);
        for i in 0..10_000 {
            store
                .compare_and_set(&format!("old:{i}"), None, b"x", short)
                .await
                .unwrap();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;

        // Enough further writes to trigger at least one sweep.
        let long = Duration::from_secs(60);
        for i in 0..10_000 {
            store
                .set_if_absent(&format!("new:{i}"), b"y", long)
                .await
                .unwrap();
        }
        let held = store.stored_entries();
        assert!(
            held < 15_000,
            "expired entries were not swept: {held} held for 10000 live"
        );
        assert!(held >= 10_000, "live entries must stay: {held}");
    }

    #[tokio::test]
    async fn counter_on_a_non_counter_value_is_refused() {
        let store = MemoryStore::new();
        let ttl = Duration::from_secs(60);
        store
            .compare_and_set("k", None, b"token", ttl)
            .await
            .unwrap();
        assert!(store.increment("k", ttl).await.is_err());
        assert_eq!(store.get("k").await.unwrap().unwrap().value, b"token");
    }

    #[tokio::test]
    async fn huge_ttl_does_not_panic() {
        let store = MemoryStore::new();
        assert!(store.set_if_absent("k", b"v", Duration::MAX).await.unwrap());
        assert!(store.ttl("k").await.unwrap().is_some());
    }
}
