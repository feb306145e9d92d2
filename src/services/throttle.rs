//! The chat throttle: a chat that tries many different IINs (someone walking through other
//! people's numbers) is first slowed down, then refused until its window ends.
//!
//! Per chat and action, within a window of the injected clock: up to `slow_after` different
//! IINs pass freely; beyond that each attempt must come a growing delay after the previous one
//! (2 s, 4 s, 8 s, ... at most 5 min); once it names one IIN more than `refuse_after`, every
//! attempt of the chat (any IIN) is refused until the window ends. The same IIN again does not count as a new one (the
//! password lock deals with repeated guesses at one IIN).
//!
//! The counters live in the ephemeral store under keyed tags of the IINs (never an IIN in
//! clear). Windows are numbered by the injected clock, so tests can move time. When the store
//! is down the error goes to the caller, which refuses: the throttle fails closed.

use std::sync::Arc;
use std::time::Duration;

use crate::domain::Iin;
use crate::ephemeral::{Ephemeral, EphemeralError};
use crate::services::otp::OtpKey;

/// The first delay once a chat is slowed; it doubles with every further IIN.
const BASE_DELAY_MS: i64 = 2_000;
/// The longest delay between two attempts of a slowed chat.
const MAX_DELAY_MS: i64 = 5 * 60 * 1000;
/// Keys outlive their window by this much (real time), so a slow clock never drops them early.
const KEY_SLACK: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleSettings {
    /// Different IINs per window that pass without delay.
    pub slow_after: u32,
    /// Different IINs per window after which the chat is refused until the window ends.
    pub refuse_after: u32,
    pub window: Duration,
}

/// What the throttle says about one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Slowed down: try again in this many seconds.
    Wait {
        retry_after_secs: u64,
    },
    /// Too many different IINs: refused until the window ends, in this many seconds.
    Refused {
        retry_after_secs: u64,
    },
}

#[derive(Clone)]
pub struct ChatThrottle {
    store: Arc<dyn Ephemeral>,
    key: OtpKey,
    settings: ThrottleSettings,
}

impl ChatThrottle {
    pub fn new(store: Arc<dyn Ephemeral>, key: OtpKey, settings: ThrottleSettings) -> Self {
        ChatThrottle {
            store,
            key,
            settings,
        }
    }

    /// Judges (and, when allowed, records) an attempt of `chat_id` at `action` with `iin`.
    pub async fn check(
        &self,
        action: &str,
        chat_id: i64,
        iin: &Iin,
        now_ms: i64,
    ) -> Result<Verdict, EphemeralError> {
        let window_ms = i64::try_from(self.settings.window.as_millis())
            .unwrap_or(i64::MAX)
            .max(1);
        let window = now_ms.div_euclid(window_ms);
        let window_end_ms = window.saturating_add(1).saturating_mul(window_ms);
        let ttl =
            Duration::from_millis(u64::try_from(window_end_ms - now_ms).unwrap_or(0)) + KEY_SLACK;
        let base = format!("auth:throttle:{action}:{chat_id}:{window}");
        let seen_key = format!("{base}:iin:{}", self.key.tag("throttle-iin", iin.as_str()));
        let count_key = format!("{base}:count");
        let next_key = format!("{base}:next");
        let refused_key = format!("{base}:refused");
        let refused = Verdict::Refused {
            retry_after_secs: seconds_until(now_ms, window_end_ms),
        };

        if self.store.get(&refused_key).await?.is_some() {
            return Ok(refused);
        }
        let seen = self.store.get(&seen_key).await?.is_some();
        let count = read_number(self.store.get(&count_key).await?.map(|v| v.value));
        let distinct = if seen { count } else { count + 1 };

        if distinct > i64::from(self.settings.refuse_after) {
            // From now on the chat is refused, whatever IIN it names, until the window ends.
            self.store.set_if_absent(&refused_key, b"1", ttl).await?;
            return Ok(refused);
        }
        if distinct > i64::from(self.settings.slow_after) {
            let next = self.store.get(&next_key).await?;
            let next_allowed_ms = read_number(next.as_ref().map(|v| v.value.clone()));
            if now_ms < next_allowed_ms {
                return Ok(Verdict::Wait {
                    retry_after_secs: seconds_until(now_ms, next_allowed_ms),
                });
            }
            let beyond = distinct - i64::from(self.settings.slow_after) - 1;
            let delay_ms = BASE_DELAY_MS
                .saturating_mul(1i64 << beyond.clamp(0, 20))
                .min(MAX_DELAY_MS);
            let next_allowed_ms = now_ms.saturating_add(delay_ms);
            let written = self
                .store
                .compare_and_set(
                    &next_key,
                    next.map(|v| v.version),
                    next_allowed_ms.to_string().as_bytes(),
                    ttl,
                )
                .await?;
            if written.is_none() {
                // Another attempt of this chat got there first: this one waits its turn.
                return Ok(Verdict::Wait {
                    retry_after_secs: seconds_until(now_ms, next_allowed_ms),
                });
            }
        }
        if !seen && self.store.set_if_absent(&seen_key, b"1", ttl).await? {
            self.store.increment(&count_key, ttl).await?;
        }
        Ok(Verdict::Allowed)
    }
}

/// A decimal number stored by us; anything else counts as 0.
fn read_number(value: Option<Vec<u8>>) -> i64 {
    value
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.parse().ok())
        .unwrap_or(0)
}

/// Whole seconds from `now_ms` to `then_ms`, rounded up, at least 1.
fn seconds_until(now_ms: i64, then_ms: i64) -> u64 {
    let ms = then_ms.saturating_sub(now_ms).max(1);
    u64::try_from(ms.saturating_add(999) / 1000).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ephemeral::memory::MemoryStore;

    fn iin(serial: u32) -> Iin {
        let birth = chrono::NaiveDate::from_ymd_opt(1985, 3, 3).unwrap();
        (serial..serial + 50)
            .find_map(|s| Iin::from_parts(birth, crate::domain::Sex::Male, s))
            .unwrap()
    }

    fn distinct_iins(n: usize) -> Vec<Iin> {
        let mut out: Vec<Iin> = Vec::new();
        let mut serial = 1;
        while out.len() < n {
            let next = iin(serial);
            serial += 1;
            if !out.contains(&next) {
                out.push(next);
            }
        }
        out
    }

    fn throttle() -> ChatThrottle {
        ChatThrottle::new(
            Arc::new(MemoryStore::new()),
            OtpKey::parse(&"11".repeat(32)).unwrap(),
            ThrottleSettings {
                slow_after: 2,
                refuse_after: 4,
                window: Duration::from_secs(900),
            },
        )
    }

    #[tokio::test]
    async fn slows_then_refuses_then_forgets_with_the_window() {
        let t = throttle();
        let iins = distinct_iins(6);
        let start = 900_000 * 1000; // the start of a window
        for i in &iins[..2] {
            assert_eq!(t.check("pw", 1, i, start).await.unwrap(), Verdict::Allowed);
        }
        // The third IIN passes and starts the delay; the fourth must wait 2 s.
        assert_eq!(
            t.check("pw", 1, &iins[2], start).await.unwrap(),
            Verdict::Allowed
        );
        assert_eq!(
            t.check("pw", 1, &iins[3], start + 500).await.unwrap(),
            Verdict::Wait {
                retry_after_secs: 2
            }
        );
        assert_eq!(
            t.check("pw", 1, &iins[3], start + 2_000).await.unwrap(),
            Verdict::Allowed
        );
        // The delay doubled.
        assert_eq!(
            t.check("pw", 1, &iins[3], start + 2_001).await.unwrap(),
            Verdict::Wait {
                retry_after_secs: 4
            }
        );
        // A fifth different IIN is refused until the window ends, however long one waits.
        assert_eq!(
            t.check("pw", 1, &iins[4], start + 600_000).await.unwrap(),
            Verdict::Refused {
                retry_after_secs: 300
            }
        );
        // So is an IIN tried before: the chat is refused, not the IIN.
        assert!(matches!(
            t.check("pw", 1, &iins[0], start + 600_001).await.unwrap(),
            Verdict::Refused { .. }
        ));
        // Another chat and another action are not affected.
        assert_eq!(
            t.check("pw", 2, &iins[4], start).await.unwrap(),
            Verdict::Allowed
        );
        assert_eq!(
            t.check("code", 1, &iins[4], start).await.unwrap(),
            Verdict::Allowed
        );
        // The next window starts afresh.
        assert_eq!(
            t.check("pw", 1, &iins[5], start + 900_000).await.unwrap(),
            Verdict::Allowed
        );
    }

    #[tokio::test]
    async fn the_same_iin_again_is_not_a_new_one() {
        let t = throttle();
        let iins = distinct_iins(1);
        for step in 0..20 {
            assert_eq!(
                t.check("pw", 1, &iins[0], 1_000 + step).await.unwrap(),
                Verdict::Allowed
            );
        }
    }
}
