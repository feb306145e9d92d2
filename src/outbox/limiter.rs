//! Telegram's limits as send slots: about N messages a second for the bot, one a second per
//! chat, shared by every worker of every process (Redis, [`super::redis_limiter`]) or of this
//! process ([`InProcessLimiter`]).
//!
//! The arithmetic ([`Schedule`]) reserves slots on a timeline: the global slots are spaced
//! `(1 s + margin) / N` apart, so any N + 1 consecutive sends span more than a second even
//! when each leaves up to `margin` late; a chat's slots are `1 s + margin` apart. A worker
//! that gets a slot sleeps until it and sends. Broadcasts (the bulk lane) may reserve only a
//! short way ahead, so a priority message never queues behind more than that; and while
//! priority messages are flowing, bulk slots are spaced wider so broadcasts keep at most
//! `bulk_share` (80 %) of the rate. A 429 pauses the timeline for everyone.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;

/// Which share of the rate a message draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Interactive replies and status notices: served first.
    Priority,
    /// Broadcast rows.
    Bulk,
}

/// The limiter's answer to a request for a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// A slot is reserved: send after this wait.
    Go(Duration),
    /// The chat had a message too recently; it may have the next after this wait.
    ChatBusy(Duration),
    /// No slot within this lane's horizon; ask again after this wait.
    Later(Duration),
}

/// The shared limiter cannot be reached; callers do not send (limits fail closed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rate limiter unavailable: {0}")]
pub struct LimiterError(pub String);

#[async_trait]
pub trait RateLimiter: Send + Sync + 'static {
    /// Reserves a send slot for one message to `chat_id`.
    async fn reserve(&self, lane: Lane, chat_id: i64) -> Result<Decision, LimiterError>;

    /// Telegram answered 429: no slot for anyone before `wait` has passed.
    async fn pause(&self, wait: Duration) -> Result<(), LimiterError>;
}

/// The limits and how they are applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Messages a second for the whole bot (`TELEGRAM_RATE_PER_SECOND`).
    pub per_second: u32,
    /// Between two messages to one chat.
    pub chat_interval: Duration,
    /// Added to each second (and to the chat interval) so that sends leaving up to this late
    /// still keep within the limits as Telegram counts them on arrival.
    pub margin: Duration,
    /// The share of the rate broadcasts keep while priority messages are flowing.
    pub bulk_share: f64,
    /// How far ahead a broadcast row may reserve: the longest a priority message can queue
    /// behind broadcasts.
    pub bulk_horizon: Duration,
    /// How far ahead a priority message may reserve.
    pub priority_horizon: Duration,
    /// Priority messages "are flowing" for this long after the last one reserved.
    pub priority_window: Duration,
}

impl Limits {
    pub fn new(per_second: u32) -> Limits {
        Limits {
            per_second: per_second.max(1),
            chat_interval: Duration::from_secs(1),
            margin: Duration::from_millis(25),
            bulk_share: 0.8,
            bulk_horizon: Duration::from_millis(50),
            priority_horizon: Duration::from_secs(2),
            priority_window: Duration::from_secs(1),
        }
    }

    /// Microseconds between two global slots.
    pub fn interval_us(&self) -> u64 {
        let second = 1_000_000 + micros(self.margin);
        second.div_ceil(u64::from(self.per_second.max(1)))
    }

    /// Microseconds between two bulk slots while priority messages are flowing.
    pub fn busy_bulk_interval_us(&self) -> u64 {
        let share = self.bulk_share.clamp(0.05, 1.0);
        (self.interval_us() as f64 / share).ceil() as u64
    }

    pub fn chat_interval_us(&self) -> u64 {
        micros(self.chat_interval) + micros(self.margin)
    }

    pub fn horizon_us(&self, lane: Lane) -> u64 {
        match lane {
            Lane::Priority => micros(self.priority_horizon),
            Lane::Bulk => micros(self.bulk_horizon),
        }
    }
}

pub(crate) fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// Chat entries kept before expired ones are swept out.
const SWEEP_AT: usize = 10_000;

/// The reservation timeline, in microseconds on any monotonic clock. The Redis script in
/// [`super::redis_limiter`] is the same algorithm, step for step.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    /// The next free global slot.
    tat: u64,
    /// The next free bulk slot.
    bulk_tat: u64,
    /// When a priority slot was last reserved.
    priority_seen: Option<u64>,
    /// Per chat: the earliest time of its next slot.
    chats: HashMap<i64, u64>,
}

impl Schedule {
    pub fn reserve(&mut self, limits: &Limits, now: u64, lane: Lane, chat_id: i64) -> Decision {
        let mut slot = now.max(self.tat);
        if lane == Lane::Bulk {
            slot = slot.max(self.bulk_tat);
        }
        let horizon = limits.horizon_us(lane);
        if slot - now > horizon {
            return Decision::Later(from_micros(slot - now - horizon));
        }
        let chat_next = self.chats.get(&chat_id).copied().unwrap_or(0);
        if chat_next > slot {
            return Decision::ChatBusy(from_micros(chat_next - now));
        }
        self.tat = slot + limits.interval_us();
        match lane {
            Lane::Bulk => {
                let flowing = self
                    .priority_seen
                    .is_some_and(|seen| now.saturating_sub(seen) < micros(limits.priority_window));
                let step = if flowing {
                    limits.busy_bulk_interval_us()
                } else {
                    limits.interval_us()
                };
                self.bulk_tat = slot + step;
            }
            Lane::Priority => self.priority_seen = Some(now),
        }
        if self.chats.len() >= SWEEP_AT {
            self.chats.retain(|_, next| *next > now);
        }
        self.chats.insert(chat_id, slot + limits.chat_interval_us());
        Decision::Go(from_micros(slot - now))
    }

    pub fn pause(&mut self, now: u64, wait: Duration) {
        self.tat = self.tat.max(now + micros(wait));
    }
}

fn from_micros(us: u64) -> Duration {
    Duration::from_micros(us)
}

/// The limiter of one process: right when this process is the only sender.
#[derive(Debug)]
pub struct InProcessLimiter {
    limits: Limits,
    started: Instant,
    schedule: Mutex<Schedule>,
}

impl InProcessLimiter {
    pub fn new(limits: Limits) -> InProcessLimiter {
        InProcessLimiter {
            limits,
            started: Instant::now(),
            schedule: Mutex::new(Schedule::default()),
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    fn now(&self) -> u64 {
        micros(self.started.elapsed())
    }
}

#[async_trait]
impl RateLimiter for InProcessLimiter {
    async fn reserve(&self, lane: Lane, chat_id: i64) -> Result<Decision, LimiterError> {
        let now = self.now();
        let mut schedule = self.schedule.lock().unwrap_or_else(|e| e.into_inner());
        Ok(schedule.reserve(&self.limits, now, lane, chat_id))
    }

    async fn pause(&self, wait: Duration) -> Result<(), LimiterError> {
        let now = self.now();
        let mut schedule = self.schedule.lock().unwrap_or_else(|e| e.into_inner());
        schedule.pause(now, wait);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: u64 = 1_000;

    fn go_at(decision: Decision, now: u64) -> u64 {
        match decision {
            Decision::Go(wait) => now + micros(wait),
            other => panic!("expected a slot, got {other:?}"),
        }
    }

    /// Reserves for distinct chats, asking again whenever told to wait; returns slot times.
    fn fill(schedule: &mut Schedule, limits: &Limits, lane: Lane, count: usize) -> Vec<u64> {
        let mut now = 0;
        let mut slots = Vec::new();
        let mut chat = 1_000;
        while slots.len() < count {
            match schedule.reserve(limits, now, lane, chat) {
                Decision::Go(wait) => {
                    slots.push(now + micros(wait));
                    chat += 1;
                }
                Decision::Later(wait) => now += micros(wait).max(1),
                Decision::ChatBusy(_) => panic!("distinct chats are never busy"),
            }
        }
        slots
    }

    #[test]
    fn no_second_holds_more_than_the_rate_even_with_the_margin_used_up() {
        let limits = Limits::new(30);
        let mut schedule = Schedule::default();
        let slots = fill(&mut schedule, &limits, Lane::Priority, 200);
        for window in slots.windows(31) {
            // 31 consecutive slots span more than a second plus the margin.
            assert!(window[30] - window[0] >= 1_000 * MS + micros(limits.margin));
        }
        assert!(
            slots
                .windows(2)
                .all(|w| w[1] - w[0] == limits.interval_us())
        );
    }

    #[test]
    fn a_chat_gets_one_slot_a_second() {
        let limits = Limits::new(100);
        let mut schedule = Schedule::default();
        let first = go_at(schedule.reserve(&limits, 0, Lane::Priority, 7), 0);
        match schedule.reserve(&limits, 10 * MS, Lane::Priority, 7) {
            Decision::ChatBusy(wait) => {
                assert_eq!(10 * MS + micros(wait), first + limits.chat_interval_us());
            }
            other => panic!("expected the chat to be busy, got {other:?}"),
        }
        // Another chat is not held up, and the busy chat's turn comes after its interval.
        assert!(matches!(
            schedule.reserve(&limits, 10 * MS, Lane::Priority, 8),
            Decision::Go(_)
        ));
        let later = limits.chat_interval_us();
        let second = go_at(schedule.reserve(&limits, later, Lane::Priority, 7), later);
        assert!(second - first >= limits.chat_interval_us());
    }

    #[test]
    fn broadcasts_reserve_only_a_short_way_ahead() {
        let limits = Limits::new(1000);
        let mut schedule = Schedule::default();
        let mut granted = 0;
        let horizon = limits.horizon_us(Lane::Bulk);
        loop {
            match schedule.reserve(&limits, 0, Lane::Bulk, granted) {
                Decision::Go(wait) => {
                    assert!(micros(wait) <= horizon);
                    granted += 1;
                }
                Decision::Later(wait) => {
                    assert!(wait > Duration::ZERO);
                    break;
                }
                Decision::ChatBusy(_) => panic!("distinct chats"),
            }
        }
        assert_eq!(granted as u64, horizon / limits.interval_us() + 1);
        // A priority message still gets a slot right behind them.
        match schedule.reserve(&limits, 0, Lane::Priority, -1) {
            Decision::Go(wait) => assert!(micros(wait) <= horizon + limits.interval_us()),
            other => panic!("expected a slot, got {other:?}"),
        }
    }

    #[test]
    fn broadcasts_keep_at_most_their_share_while_priority_messages_flow() {
        let limits = Limits::new(100);
        let mut schedule = Schedule::default();
        // Alone, broadcasts get every slot.
        let alone = fill(&mut schedule, &limits, Lane::Bulk, 50);
        assert!(
            alone
                .windows(2)
                .all(|w| w[1] - w[0] == limits.interval_us())
        );

        // With a priority message every 100 ms, over two seconds, broadcasts get <= 80 %.
        let mut schedule = Schedule::default();
        let (mut bulk, mut priority) = (0u32, 0u32);
        let mut now = 0;
        let mut next_priority = 0;
        let mut chat = 0;
        while now < 2_000 * MS {
            let user = -chat - 1;
            if now >= next_priority
                && let Decision::Go(_) = schedule.reserve(&limits, now, Lane::Priority, user)
            {
                priority += 1;
                next_priority += 100 * MS;
            }
            match schedule.reserve(&limits, now, Lane::Bulk, chat) {
                Decision::Go(_) => bulk += 1,
                Decision::Later(wait) => now += micros(wait).clamp(1, 1_000),
                Decision::ChatBusy(_) => panic!("distinct chats"),
            }
            chat += 1;
        }
        assert_eq!(priority, 20);
        let rate_in_two_seconds = 2 * 100 * 1_000 / 1_025;
        assert!(
            f64::from(bulk) <= 0.8 * f64::from(rate_in_two_seconds) + 5.0,
            "bulk {bulk} of {rate_in_two_seconds}"
        );
        assert!(bulk > 100, "broadcasts still progress: {bulk}");
    }

    #[test]
    fn a_pause_moves_every_slot_past_it() {
        let limits = Limits::new(30);
        let mut schedule = Schedule::default();
        schedule.pause(0, Duration::from_secs(3));
        match schedule.reserve(&limits, 0, Lane::Priority, 1) {
            Decision::Later(wait) => {
                assert_eq!(micros(wait), 3_000 * MS - limits.horizon_us(Lane::Priority));
            }
            other => panic!("expected to wait, got {other:?}"),
        }
        let at = 2_500 * MS;
        assert_eq!(
            go_at(schedule.reserve(&limits, at, Lane::Priority, 1), at),
            3_000 * MS
        );
    }

    #[test]
    fn expired_chats_are_swept() {
        let limits = Limits::new(1000);
        let mut schedule = Schedule::default();
        for chat in 0..SWEEP_AT as i64 {
            let _ = schedule.reserve(&limits, 0, Lane::Priority, chat);
            schedule.tat = 0;
        }
        let later = 10_000 * MS;
        let _ = schedule.reserve(&limits, later, Lane::Priority, -1);
        assert_eq!(schedule.chats.len(), 1);
    }
}
