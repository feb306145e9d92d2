//! What expires: dialogue sessions, one-time codes, rate-limit counters, seen update ids, locks.
//!
//! One small trait, [`Ephemeral`], with two implementations: [`memory::MemoryStore`]
//! (in-process, the embedded default) and [`redis_store::RedisStore`] (`REDIS_URL`).
//! Expiry and compare-and-set on a version are part of the contract and are tested on both
//! by the same suite (`tests/ephemeral_contract.rs`).

pub mod memory;
pub mod redis_store;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

/// A stored value with the version it was written at. Versions start at 1 and grow by one
/// on every successful write of the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned {
    pub value: Vec<u8>,
    pub version: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum EphemeralError {
    /// The backing service is unreachable or answered with an error. Callers fail closed.
    #[error("ephemeral store unavailable: {0}")]
    Unavailable(String),
}

pub type Result<T> = std::result::Result<T, EphemeralError>;

/// A once-only mark on an event that may be delivered more than once (a Telegram update):
/// `key` holds `claim` while the event is being handled and `done` once the write recording
/// its effect has happened; a delivery that finds anything else there is a duplicate.
#[derive(Debug, Clone, Copy)]
pub struct Once<'a> {
    pub key: &'a str,
    pub claim: &'a [u8],
    /// How long a claim stands: a crashed handler's claim lapses and a redelivery is handled.
    pub claim_ttl: Duration,
    pub done: &'a [u8],
    /// How long a handled event is remembered.
    pub done_ttl: Duration,
}

/// What [`Ephemeral::lock_and_get`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acquired {
    /// The lock is ours (and the once-only mark, when given, holds our claim): the key's value.
    Taken(Option<Versioned>),
    /// Someone else holds the lock; nothing was written.
    Busy,
    /// The once-only mark holds another claim or a done mark; nothing was written.
    Duplicate,
}

#[async_trait]
pub trait Ephemeral: Send + Sync + 'static {
    /// The current value and version of `key`, or `None` when absent or expired.
    async fn get(&self, key: &str) -> Result<Option<Versioned>>;

    /// Writes `value` only if the key's current version is `expected`
    /// (`None` means: only if the key is absent or expired).
    /// Returns the new version, or `None` when another writer got there first.
    async fn compare_and_set(
        &self,
        key: &str,
        expected: Option<u64>,
        value: &[u8],
        ttl: Duration,
    ) -> Result<Option<u64>>;

    /// Removes the key whatever its version.
    async fn delete(&self, key: &str) -> Result<()>;

    /// Sets the key only if absent; `true` when this call set it. Used for seen update ids
    /// and for locks (the value is the owner's token).
    async fn set_if_absent(&self, key: &str, value: &[u8], ttl: Duration) -> Result<bool>;

    /// Deletes the key only if its value equals `value` (releasing a lock one owns).
    /// `true` when it was deleted.
    async fn delete_if_equals(&self, key: &str, value: &[u8]) -> Result<bool>;

    /// Replaces the key's value with `value` (and its expiry with `ttl`) only while it holds
    /// `expected`; `true` when replaced. One step where the store allows (turning one's
    /// claim into a "done" mark); by default a read and a compare-and-set on its version.
    async fn replace_if_equals(
        &self,
        key: &str,
        expected: &[u8],
        value: &[u8],
        ttl: Duration,
    ) -> Result<bool> {
        match self.get(key).await? {
            Some(current) if current.value == expected => Ok(self
                .compare_and_set(key, Some(current.version), value, ttl)
                .await?
                .is_some()),
            _ => Ok(false),
        }
    }

    /// Takes the lock `lock` for `owner` (as [`Ephemeral::set_if_absent`]) and, when taken,
    /// reads `key` in the same step. With `once`, an event already claimed by someone else or
    /// done is refused before anything is written, and a taken lock comes with our claim.
    /// One round trip where the store allows (a chat's lock and its session, at every message).
    async fn lock_and_get(
        &self,
        lock: &str,
        owner: &[u8],
        ttl: Duration,
        key: &str,
        once: Option<Once<'_>>,
    ) -> Result<Acquired> {
        let claimed_by_other = |held: Option<Versioned>| {
            held.is_some_and(|held| once.is_some_and(|once| held.value != once.claim))
        };
        if let Some(once) = once
            && claimed_by_other(self.get(once.key).await?)
        {
            return Ok(Acquired::Duplicate);
        }
        if !self.set_if_absent(lock, owner, ttl).await? {
            return Ok(Acquired::Busy);
        }
        if let Some(once) = once
            && !self
                .set_if_absent(once.key, once.claim, once.claim_ttl)
                .await?
            && claimed_by_other(self.get(once.key).await?)
        {
            let _ = self.delete_if_equals(lock, owner).await;
            return Ok(Acquired::Duplicate);
        }
        Ok(Acquired::Taken(self.get(key).await?))
    }

    /// [`Ephemeral::compare_and_set`], and when it succeeds, in the same step where the store
    /// allows: releases `lock` if `owner` still holds it, and turns `once`'s claim into its
    /// done mark if the claim is still ours. A release or mark that fails is left to expiry:
    /// the write has happened.
    #[allow(clippy::too_many_arguments)]
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
        let written = self.compare_and_set(key, expected, value, ttl).await?;
        if written.is_some() {
            let _ = self.delete_if_equals(lock, owner).await;
            if let Some(once) = once {
                let _ = self
                    .replace_if_equals(once.key, once.claim, once.done, once.done_ttl)
                    .await;
            }
        }
        Ok(written)
    }

    /// Adds one to a counter and returns the new count. The first increment of an absent
    /// key starts a window of `ttl`; later increments do not extend it (fixed window).
    async fn increment(&self, key: &str, ttl: Duration) -> Result<u64>;

    /// The remaining time to live of a key, `None` when absent.
    async fn ttl(&self, key: &str) -> Result<Option<Duration>>;

    /// Whether the backing service answers (for `/readyz`).
    async fn ping(&self) -> Result<()>;
}

/// The store the settings ask for: Redis when a URL is given, the in-process map otherwise.
/// A Redis that cannot be reached within [`redis_store::DEFAULT_OPERATION_TIMEOUT`] is an
/// `Unavailable` error, never a silent fallback to memory (locks and limits would then be
/// per-process without anyone noticing).
pub async fn connect(redis_url: Option<&str>) -> Result<Arc<dyn Ephemeral>> {
    match redis_url {
        Some(url) => Ok(Arc::new(redis_store::RedisStore::connect(url).await?)),
        None => Ok(Arc::new(memory::MemoryStore::new())),
    }
}

/// Shortest time to live a write gets: Redis refuses 0 and an entry that expires as it is
/// written is useless, so both stores round a zero TTL up to this.
pub const MIN_TTL: Duration = Duration::from_millis(1);

/// Longest time to live a write gets; longer ones are shortened to it, which keeps the
/// arithmetic on instants and milliseconds far from overflow.
pub const MAX_TTL: Duration = Duration::from_secs(10 * 365 * 24 * 60 * 60);

/// The TTL both stores actually apply.
pub(crate) fn clamp_ttl(ttl: Duration) -> Duration {
    ttl.clamp(MIN_TTL, MAX_TTL)
}

/// A lease on a key held through [`Ephemeral::set_if_absent`] with a random owner token, so
/// only its holder releases it and an expired lease taken over by someone else is left alone.
/// There is no release on drop (that would need an `.await`); a forgotten lock expires.
#[derive(Debug)]
pub struct Lock {
    key: String,
    token: [u8; 16],
}

impl Lock {
    /// Takes the lock for `ttl`; `None` when someone else holds it.
    pub async fn try_acquire(
        store: &dyn Ephemeral,
        key: &str,
        ttl: Duration,
    ) -> Result<Option<Lock>> {
        let token: [u8; 16] = rand::random();
        let taken = store.set_if_absent(key, &token, ttl).await?;
        Ok(taken.then(|| Lock {
            key: key.to_owned(),
            token,
        }))
    }

    /// Releases the lock; `false` when it had already expired (and maybe been taken again).
    pub async fn release(self, store: &dyn Ephemeral) -> Result<bool> {
        store.delete_if_equals(&self.key, &self.token).await
    }

    pub fn key(&self) -> &str {
        &self.key
    }
}
