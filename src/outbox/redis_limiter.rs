//! The rate limiter shared by every process through Redis (`REDIS_URL`): the same timeline as
//! [`super::limiter::Schedule`], kept in one hash and advanced by one Lua script per
//! reservation, on Redis's own clock (`TIME`), so processes on hosts with different clocks
//! still share one timeline. Keys carry a hash tag, so they live together on a cluster too.
//!
//! Every call is bounded by a timeout; an unreachable Redis is a [`LimiterError`] and the
//! worker sends nothing until it answers again.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{RedisError, RedisResult, Script};

use super::limiter::{Decision, Lane, LimiterError, Limits, RateLimiter, micros};

/// How long one call (and the first connection) may take.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(2);

/// The timeline's hash expires this long after its last use.
const STATE_TTL_MS: u64 = 3_600_000;

/// KEYS[1]: the timeline hash; KEYS[2]: the chat's key.
/// ARGV: lane (1 = bulk), interval, bulk interval while priority flows, this lane's horizon,
/// chat interval, priority window (all microseconds), state TTL (ms).
/// Returns {code, wait µs}: 0 = go, 1 = chat busy, 2 = later.
const RESERVE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local st = redis.call('HMGET', KEYS[1], 'tat', 'bulk_tat', 'prio')
local tat = tonumber(st[1]) or 0
local bulk_tat = tonumber(st[2]) or 0
local prio = tonumber(st[3])
local bulk = ARGV[1] == '1'
local slot = math.max(now, tat)
if bulk then slot = math.max(slot, bulk_tat) end
local horizon = tonumber(ARGV[4])
if slot - now > horizon then return {2, slot - now - horizon} end
local chat_next = 0
local stored = redis.call('GET', KEYS[2])
if stored then chat_next = tonumber(stored) end
if chat_next > slot then return {1, chat_next - now} end
local fmt = '%.0f'
redis.call('HSET', KEYS[1], 'tat', string.format(fmt, slot + tonumber(ARGV[2])))
if bulk then
  local step = tonumber(ARGV[2])
  if prio and now - prio < tonumber(ARGV[6]) then step = tonumber(ARGV[3]) end
  redis.call('HSET', KEYS[1], 'bulk_tat', string.format(fmt, slot + step))
else
  redis.call('HSET', KEYS[1], 'prio', string.format(fmt, now))
end
redis.call('PEXPIRE', KEYS[1], ARGV[7])
local chat_until = slot + tonumber(ARGV[5])
redis.call('SET', KEYS[2], string.format(fmt, chat_until),
           'PX', string.format(fmt, math.ceil((chat_until - now) / 1000) + 1))
return {0, slot - now}
";

/// KEYS[1]: the timeline hash. ARGV: the pause (µs), state TTL (ms).
const PAUSE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('HGET', KEYS[1], 'tat')) or 0
local until_ = now + tonumber(ARGV[1])
if until_ > tat then
  redis.call('HSET', KEYS[1], 'tat', string.format('%.0f', until_))
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
";

pub struct RedisLimiter {
    connection: ConnectionManager,
    limits: Limits,
    prefix: String,
    reserve: Script,
    pause: Script,
}

// By hand: the URL (which may hold a password) is not kept, and nothing else is worth showing.
impl fmt::Debug for RedisLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLimiter")
            .field("prefix", &self.prefix)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl RedisLimiter {
    /// The prefix of the production keys.
    pub const DEFAULT_PREFIX: &'static str = "zeinet:{outbox}:";

    /// Connects to `url`; keys start with `prefix` (tests use one each). Never echoes the URL.
    pub async fn connect(url: &str, prefix: &str, limits: Limits) -> Result<Self, LimiterError> {
        let client =
            redis::Client::open(url).map_err(|e| unavailable("connect (invalid REDIS_URL)", &e))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(OPERATION_TIMEOUT))
            .set_response_timeout(Some(OPERATION_TIMEOUT))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500));
        let connection = bounded(
            "connect",
            ConnectionManager::new_with_config(client, config),
        )
        .await?;
        Ok(RedisLimiter {
            connection,
            limits,
            prefix: prefix.to_owned(),
            reserve: Script::new(RESERVE),
            pause: Script::new(PAUSE),
        })
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    fn state_key(&self) -> String {
        format!("{}rate", self.prefix)
    }
}

#[async_trait]
impl RateLimiter for RedisLimiter {
    async fn reserve(&self, lane: Lane, chat_id: i64) -> Result<Decision, LimiterError> {
        let limits = &self.limits;
        let mut invocation = self.reserve.key(self.state_key());
        invocation
            .key(format!("{}chat:{chat_id}", self.prefix))
            .arg(u8::from(lane == Lane::Bulk))
            .arg(limits.interval_us())
            .arg(limits.busy_bulk_interval_us())
            .arg(limits.horizon_us(lane))
            .arg(limits.chat_interval_us())
            .arg(micros(limits.priority_window))
            .arg(STATE_TTL_MS);
        let mut connection = self.connection.clone();
        let (code, wait): (i64, i64) =
            bounded("reserve", invocation.invoke_async(&mut connection)).await?;
        let wait = Duration::from_micros(u64::try_from(wait).unwrap_or(0));
        match code {
            0 => Ok(Decision::Go(wait)),
            1 => Ok(Decision::ChatBusy(wait)),
            2 => Ok(Decision::Later(wait)),
            _ => Err(LimiterError("redis reserve: unexpected answer".into())),
        }
    }

    async fn pause(&self, wait: Duration) -> Result<(), LimiterError> {
        let mut invocation = self.pause.key(self.state_key());
        invocation.arg(micros(wait)).arg(STATE_TTL_MS);
        let mut connection = self.connection.clone();
        let _: i64 = bounded("pause", invocation.invoke_async(&mut connection)).await?;
        Ok(())
    }
}

async fn bounded<T>(
    operation: &'static str,
    call: impl Future<Output = RedisResult<T>>,
) -> Result<T, LimiterError> {
    match tokio::time::timeout(OPERATION_TIMEOUT, call).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(unavailable(operation, &error)),
        Err(_) => Err(LimiterError(format!(
            "redis {operation}: no answer within {OPERATION_TIMEOUT:?}"
        ))),
    }
}

/// Only the error's category and code: a server's detail text could quote data.
fn unavailable(operation: &str, error: &RedisError) -> LimiterError {
    let reason = if error.is_connection_refusal() {
        "connection refused".to_owned()
    } else if error.is_timeout() {
        "timed out".to_owned()
    } else {
        match error.code() {
            Some(code) => format!("{} ({code})", error.category()),
            None => error.category().to_owned(),
        }
    };
    LimiterError(format!("redis {operation}: {reason}"))
}
