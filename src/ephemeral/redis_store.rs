//! Redis implementation of [`super::Ephemeral`] (`REDIS_URL`).
//!
//! Every key is a hash `{v: version, d: data}` under a prefix (`zeinet:` by default), whatever
//! the operation that wrote it, so `get`, `compare_and_set`, locks and counters all see one
//! consistent record, just as in [`super::memory::MemoryStore`]. Each operation is a single
//! command or a Lua script, so it is one atomic step on the server.
//!
//! Each call is bounded by a timeout: a Redis that is down or stuck yields
//! [`EphemeralError::Unavailable`] within it, never a hang. A write that times out has an
//! unknown outcome (the server may have applied it); callers fail closed either way.
//! Error messages name the operation and the kind of failure, never a key's value.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{RedisError, RedisResult, Script};

use super::{Acquired, Ephemeral, EphemeralError, MAX_TTL, Once, Result, Versioned, clamp_ttl};

/// Namespace of every key this process writes.
pub const DEFAULT_PREFIX: &str = "zeinet:";

/// How long one operation (and the initial connection) may take before it counts as failed.
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(2);

/// Reconnection attempts the connection manager makes in the background after a failure;
/// few, because every call is bounded by the operation timeout anyway and the next call
/// starts a new round.
const RECONNECT_RETRIES: usize = 2;
const RECONNECT_MAX_DELAY: Duration = Duration::from_millis(500);

/// The body of a compare-and-set on `KEYS[1]`: writes `ARGV[2]` (expiry `ARGV[3]`) at the next
/// version if the current version equals `ARGV[1]` (`""`: only if absent), leaving it in
/// `version`; returns 0 from the script when another writer got there first.
macro_rules! compare_and_set_lua {
    () => {
        r"
local current = redis.call('HGET', KEYS[1], 'v')
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
local version = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
"
    };
}

/// Returns the new version, or 0 when another writer got there first.
const COMPARE_AND_SET: &str = concat!(compare_and_set_lua!(), "return version\n");

/// `SET NX PX` for the hash layout: 1 when this call created the key.
const SET_IF_ABSENT: &str = r"
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', 1, 'd', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
";

/// Deletes the key only while it holds `ARGV[1]` (releasing a lock one owns).
const DELETE_IF_EQUALS: &str = r"
if redis.call('HGET', KEYS[1], 'd') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// Writes `ARGV[2]` at the next version with expiry `ARGV[3]` only while the value is
/// `ARGV[1]`: 1 when replaced.
const REPLACE_IF_EQUALS: &str = r"
if redis.call('HGET', KEYS[1], 'd') ~= ARGV[1] then return 0 end
redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
";

/// Takes the lock `KEYS[1]` for `ARGV[1]` (expiry `ARGV[2]`) as SET_IF_ABSENT does and, when
/// taken, answers `KEYS[2]`'s version and value; nil while the lock is someone else's. With a
/// once-only mark `KEYS[3]` (our claim `ARGV[3]`, expiry `ARGV[4]`): 0, before anything is
/// written, when it holds anything but our claim; our claim is written with the lock.
const LOCK_AND_GET: &str = r"
local unclaimed = false
if KEYS[3] then
  local held = redis.call('HGET', KEYS[3], 'd')
  if held and held ~= ARGV[3] then return 0 end
  unclaimed = not held
end
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
redis.call('HSET', KEYS[1], 'v', 1, 'd', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if unclaimed then
  redis.call('HSET', KEYS[3], 'v', 1, 'd', ARGV[3])
  redis.call('PEXPIRE', KEYS[3], ARGV[4])
end
return redis.call('HMGET', KEYS[2], 'v', 'd')
";

/// COMPARE_AND_SET on `KEYS[1]`, then, when written, DELETE_IF_EQUALS on the lock `KEYS[2]`
/// for its owner `ARGV[4]` and, with a once-only mark `KEYS[3]`, REPLACE_IF_EQUALS of our
/// claim `ARGV[5]` by the done mark `ARGV[6]` (expiry `ARGV[7]`).
const COMPARE_AND_SET_UNLOCKING: &str = concat!(
    compare_and_set_lua!(),
    r"if redis.call('HGET', KEYS[2], 'd') == ARGV[4] then
  redis.call('DEL', KEYS[2])
end
if KEYS[3] and redis.call('HGET', KEYS[3], 'd') == ARGV[5] then
  redis.call('HINCRBY', KEYS[3], 'v', 1)
  redis.call('HSET', KEYS[3], 'd', ARGV[6])
  redis.call('PEXPIRE', KEYS[3], ARGV[7])
end
return version
"
);

/// Fixed-window counter: the expiry is set only when this call created the key (or, as a
/// safeguard, when the key somehow has none), so later increments never extend the window.
/// HINCRBY refuses a non-integer value before anything is written.
const INCREMENT: &str = r"
local created = redis.call('EXISTS', KEYS[1]) == 0
local count = redis.call('HINCRBY', KEYS[1], 'd', 1)
redis.call('HINCRBY', KEYS[1], 'v', 1)
if created or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return count
";

struct Scripts {
    compare_and_set: Script,
    set_if_absent: Script,
    delete_if_equals: Script,
    replace_if_equals: Script,
    lock_and_get: Script,
    compare_and_set_unlocking: Script,
    increment: Script,
}

impl Scripts {
    fn new() -> Self {
        Self {
            compare_and_set: Script::new(COMPARE_AND_SET),
            set_if_absent: Script::new(SET_IF_ABSENT),
            delete_if_equals: Script::new(DELETE_IF_EQUALS),
            replace_if_equals: Script::new(REPLACE_IF_EQUALS),
            lock_and_get: Script::new(LOCK_AND_GET),
            compare_and_set_unlocking: Script::new(COMPARE_AND_SET_UNLOCKING),
            increment: Script::new(INCREMENT),
        }
    }
}

/// The Redis-backed store. Cloning the inner connection manager is cheap; share the store
/// behind an `Arc` as any [`Ephemeral`].
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
    operation_timeout: Duration,
    scripts: std::sync::Arc<Scripts>,
}

// By hand: the URL (which may hold a password) must never be printed.
impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("operation_timeout", &self.operation_timeout)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// Connects with the default prefix and [`DEFAULT_OPERATION_TIMEOUT`].
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_with_timeout(url, DEFAULT_OPERATION_TIMEOUT).await
    }

    /// Connects, giving up after `operation_timeout`, which then bounds every operation too.
    pub async fn connect_with_timeout(url: &str, operation_timeout: Duration) -> Result<Self> {
        // The URL is never echoed: it may carry a password.
        let client = redis::Client::open(url)
            .map_err(|err| unavailable("connect (invalid REDIS_URL)", &err))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(operation_timeout))
            .set_response_timeout(Some(operation_timeout))
            .set_number_of_retries(RECONNECT_RETRIES)
            .set_max_delay(RECONNECT_MAX_DELAY);
        let connection = bounded(
            "connect",
            operation_timeout,
            ConnectionManager::new_with_config(client, config),
        )
        .await?;
        Ok(Self {
            connection,
            prefix: DEFAULT_PREFIX.to_owned(),
            operation_timeout,
            scripts: std::sync::Arc::new(Scripts::new()),
        })
    }

    /// The same connection under another namespace (tests use a random one each, so that
    /// parallel runs never see each other's keys).
    pub fn with_prefix(mut self, prefix: &str) -> Self {
        prefix.clone_into(&mut self.prefix);
        self
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    async fn run<T>(
        &self,
        operation: &'static str,
        call: impl Future<Output = RedisResult<T>>,
    ) -> Result<T> {
        bounded(operation, self.operation_timeout, call).await
    }
}

/// Awaits `call` for at most `limit`, turning every failure into `Unavailable`.
async fn bounded<T>(
    operation: &'static str,
    limit: Duration,
    call: impl Future<Output = RedisResult<T>>,
) -> Result<T> {
    match tokio::time::timeout(limit, call).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(unavailable(operation, &err)),
        Err(_elapsed) => Err(EphemeralError::Unavailable(format!(
            "redis {operation}: no answer within {limit:?}"
        ))),
    }
}

/// Only the error's category and code: a server's detail text could quote data.
fn unavailable(operation: &str, err: &RedisError) -> EphemeralError {
    let reason = if err.is_connection_refusal() {
        "connection refused".to_owned()
    } else if err.is_timeout() {
        "timed out".to_owned()
    } else {
        match err.code() {
            Some(code) => format!("{} ({code})", err.category()),
            None => err.category().to_owned(),
        }
    };
    EphemeralError::Unavailable(format!("redis {operation}: {reason}"))
}

/// Redis takes expiries in whole milliseconds; round up so a sub-millisecond TTL is not 0.
fn ttl_millis(ttl: Duration) -> u64 {
    let nanos = clamp_ttl(ttl).as_nanos().div_ceil(1_000_000);
    u64::try_from(nanos).unwrap_or(u64::MAX)
}

#[async_trait]
impl Ephemeral for RedisStore {
    async fn get(&self, key: &str) -> Result<Option<Versioned>> {
        let mut connection = self.connection.clone();
        let key = self.key(key);
        let (version, value): (Option<u64>, Option<Vec<u8>>) = self
            .run(
                "get",
                redis::cmd("HMGET")
                    .arg(&key)
                    .arg("v")
                    .arg("d")
                    .query_async(&mut connection),
            )
            .await?;
        Ok(match (version, value) {
            (Some(version), Some(value)) => Some(Versioned { value, version }),
            _ => None,
        })
    }

    async fn compare_and_set(
        &self,
        key: &str,
        expected: Option<u64>,
        value: &[u8],
        ttl: Duration,
    ) -> Result<Option<u64>> {
        let mut connection = self.connection.clone();
        let expected = expected
            .map(|version| version.to_string())
            .unwrap_or_default();
        let mut invocation = self.scripts.compare_and_set.key(self.key(key));
        invocation.arg(expected).arg(value).arg(ttl_millis(ttl));
        let version: u64 = self
            .run("compare_and_set", invocation.invoke_async(&mut connection))
            .await?;
        Ok((version > 0).then_some(version))
    }

    async fn delete(&self, key: &str) -> Result<()> {
        let mut connection = self.connection.clone();
        let key = self.key(key);
        self.run(
            "delete",
            redis::cmd("DEL")
                .arg(&key)
                .query_async::<()>(&mut connection),
        )
        .await
    }

    async fn set_if_absent(&self, key: &str, value: &[u8], ttl: Duration) -> Result<bool> {
        let mut connection = self.connection.clone();
        let mut invocation = self.scripts.set_if_absent.key(self.key(key));
        invocation.arg(value).arg(ttl_millis(ttl));
        self.run("set_if_absent", invocation.invoke_async(&mut connection))
            .await
    }

    async fn delete_if_equals(&self, key: &str, value: &[u8]) -> Result<bool> {
        let mut connection = self.connection.clone();
        let mut invocation = self.scripts.delete_if_equals.key(self.key(key));
        invocation.arg(value);
        self.run("delete_if_equals", invocation.invoke_async(&mut connection))
            .await
    }

    async fn lock_and_get(
        &self,
        lock: &str,
        owner: &[u8],
        ttl: Duration,
        key: &str,
        once: Option<Once<'_>>,
    ) -> Result<Acquired> {
        let mut connection = self.connection.clone();
        let mut invocation = self.scripts.lock_and_get.key(self.key(lock));
        invocation
            .key(self.key(key))
            .arg(owner)
            .arg(ttl_millis(ttl));
        if let Some(once) = once {
            invocation
                .key(self.key(once.key))
                .arg(once.claim)
                .arg(ttl_millis(once.claim_ttl));
        }
        let answer: redis::Value = self
            .run("lock_and_get", invocation.invoke_async(&mut connection))
            .await?;
        match answer {
            redis::Value::Nil => Ok(Acquired::Busy),
            redis::Value::Int(0) => Ok(Acquired::Duplicate),
            stored => {
                let (version, value): (Option<u64>, Option<Vec<u8>>) =
                    redis::from_redis_value(stored)
                        .map_err(|err| unavailable("lock_and_get", &err.into()))?;
                Ok(Acquired::Taken(match (version, value) {
                    (Some(version), Some(value)) => Some(Versioned { value, version }),
                    _ => None,
                }))
            }
        }
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
        let mut connection = self.connection.clone();
        let expected = expected
            .map(|version| version.to_string())
            .unwrap_or_default();
        let mut invocation = self.scripts.compare_and_set_unlocking.key(self.key(key));
        invocation
            .key(self.key(lock))
            .arg(expected)
            .arg(value)
            .arg(ttl_millis(ttl))
            .arg(owner);
        if let Some(once) = once {
            invocation
                .key(self.key(once.key))
                .arg(once.claim)
                .arg(once.done)
                .arg(ttl_millis(once.done_ttl));
        }
        let version: u64 = self
            .run(
                "compare_and_set_unlocking",
                invocation.invoke_async(&mut connection),
            )
            .await?;
        Ok((version > 0).then_some(version))
    }

    async fn replace_if_equals(
        &self,
        key: &str,
        expected: &[u8],
        value: &[u8],
        ttl: Duration,
    ) -> Result<bool> {
        let mut connection = self.connection.clone();
        let mut invocation = self.scripts.replace_if_equals.key(self.key(key));
        invocation.arg(expected).arg(value).arg(ttl_millis(ttl));
        self.run(
            "replace_if_equals",
            invocation.invoke_async(&mut connection),
        )
        .await
    }

    async fn increment(&self, key: &str, ttl: Duration) -> Result<u64> {
        let mut connection = self.connection.clone();
        let mut invocation = self.scripts.increment.key(self.key(key));
        invocation.arg(ttl_millis(ttl));
        self.run("increment", invocation.invoke_async(&mut connection))
            .await
    }

    async fn ttl(&self, key: &str) -> Result<Option<Duration>> {
        let mut connection = self.connection.clone();
        let key = self.key(key);
        let millis: i64 = self
            .run(
                "ttl",
                redis::cmd("PTTL").arg(&key).query_async(&mut connection),
            )
            .await?;
        Ok(match millis {
            // -2: no such key.
            -2 => None,
            // -1: a key without expiry, which this store never writes; report the longest TTL.
            -1 => Some(MAX_TTL),
            millis => Some(Duration::from_millis(u64::try_from(millis).unwrap_or(0))),
        })
    }

    async fn ping(&self) -> Result<()> {
        let mut connection = self.connection.clone();
        let reply: String = self
            .run("ping", redis::cmd("PING").query_async(&mut connection))
            .await?;
        if reply == "PONG" {
            Ok(())
        } else {
            Err(EphemeralError::Unavailable(
                "redis ping: unexpected reply".to_owned(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_is_rounded_up_to_whole_milliseconds_and_never_zero() {
        assert_eq!(ttl_millis(Duration::ZERO), 1);
        assert_eq!(ttl_millis(Duration::from_micros(1500)), 2);
        assert_eq!(ttl_millis(Duration::from_millis(150)), 150);
        assert_eq!(ttl_millis(Duration::MAX), ttl_millis(MAX_TTL));
    }

    #[tokio::test]
    async fn an_invalid_url_is_unavailable_and_not_echoed() {
        let err = RedisStore::connect("not a url with secret-password")
            .await
            .unwrap_err();
        let EphemeralError::Unavailable(message) = err;
        assert!(!message.contains("secret-password"), "{message}");
    }
}
