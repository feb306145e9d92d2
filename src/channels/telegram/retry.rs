//! Waiting and trying again: exponential backoff for our loops, and the retry rules of
//! one outgoing call (429 waits `retry_after`; 5xx, network and unreadable answers back off
//! a few times; everything else is final).

use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use teloxide::requests::Payload;

use super::Tuning;
use super::api::{BotApi, CallError};

/// How many times one call waits out a 429 before giving up.
const RATE_LIMIT_WAITS: u32 = 5;

/// Doubling waits from `base`, capped at `max`.
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    max: Duration,
    next: Duration,
}

impl Backoff {
    pub fn new(base: Duration, max: Duration) -> Backoff {
        Backoff {
            base,
            max,
            next: base.min(max),
        }
    }

    /// The wait before the next attempt; each call doubles the following one.
    pub fn next_wait(&mut self) -> Duration {
        let wait = self.next;
        self.next = self.next.saturating_mul(2).min(self.max);
        wait
    }

    /// Back to the shortest wait after a success.
    pub fn reset(&mut self) {
        self.next = self.base.min(self.max);
    }
}

/// Calls `payload`'s method, trying again as the rules above say. Returns the last error
/// when giving up; the caller decides how loudly to report it.
pub async fn call_with_retries<P, T>(
    api: &BotApi,
    payload: &P,
    tuning: &Tuning,
) -> Result<T, CallError>
where
    P: Payload + Serialize,
    T: DeserializeOwned,
{
    with_retries(tuning, P::NAME, || {
        api.call_as::<P, T>(payload, Duration::ZERO)
    })
    .await
}

/// Runs one Bot API call, retrying as [`call_with_retries`] does (429 waits `retry_after`,
/// transient errors back off, the rest is final).
pub async fn with_retries<F, Fut, T>(
    tuning: &Tuning,
    method: &str,
    mut call: F,
) -> Result<T, CallError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, CallError>>,
{
    let mut backoff = Backoff::new(tuning.backoff_base, tuning.backoff_max);
    let mut failures = 0u32;
    let mut rate_limited = 0u32;
    loop {
        let error = match call().await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let wait = match &error {
            CallError::RetryAfter(wait)
                if rate_limited < RATE_LIMIT_WAITS && *wait <= tuning.max_retry_after =>
            {
                rate_limited += 1;
                *wait
            }
            e if e.is_transient() && failures + 1 < tuning.send_attempts => {
                failures += 1;
                backoff.next_wait()
            }
            _ => return Err(error),
        };
        tracing::debug!(method, error = %error, wait_ms = wait.as_millis() as u64, "retrying a Bot API call");
        tokio::time::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_cap_and_resets() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(30));
        let waits: Vec<u64> = (0..7).map(|_| b.next_wait().as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30]);
        b.reset();
        assert_eq!(b.next_wait(), Duration::from_secs(1));
    }
}
