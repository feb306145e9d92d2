//! Quiet hours: from 22:00 to 08:00 Kazakhstan time (UTC+5) non-urgent notifications (new
//! contributions, document numbers, broadcasts) wait until 08:00. Producers pass the result
//! as the row's `not_before_ms`. Status changes and booking reminders (due at 18:00 the
//! evening before and an hour before a visit inside branch hours) are not held.

use chrono::{Duration, TimeZone, Timelike};

use crate::store::outbox::OutboxKind;

use crate::domain::dates::KAZAKHSTAN_TIME as KZ_TIME;
/// Local hour at which quiet hours start (inclusive).
pub const QUIET_FROM_HOUR: u32 = 22;
/// Local hour at which they end (messages held go out from then).
pub const QUIET_UNTIL_HOUR: u32 = 8;

/// Whether messages of this kind wait out the quiet hours.
pub fn is_held(kind: OutboxKind) -> bool {
    matches!(
        kind,
        OutboxKind::Contribution | OutboxKind::Document | OutboxKind::Broadcast
    )
}

/// The earliest time (ms) a message of `kind` produced at `at_ms` may go: `at_ms` itself
/// outside quiet hours or for kinds not held, else 08:00 local of the morning that ends them.
pub fn not_before_ms(kind: OutboxKind, at_ms: i64) -> i64 {
    if !is_held(kind) {
        return at_ms;
    }
    let Some(local) = KZ_TIME.timestamp_millis_opt(at_ms).single() else {
        return at_ms;
    };
    let hour = local.hour();
    let morning_date = if hour >= QUIET_FROM_HOUR {
        local.date_naive() + Duration::days(1)
    } else if hour < QUIET_UNTIL_HOUR {
        local.date_naive()
    } else {
        return at_ms;
    };
    morning_date
        .and_hms_opt(QUIET_UNTIL_HOUR, 0, 0)
        .and_then(|t| KZ_TIME.from_local_datetime(&t).single())
        .map(|t| t.timestamp_millis())
        .unwrap_or(at_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Local Kazakhstan time on 1–3 March 2026, in ms.
    fn local(day: u32, hour: u32, minute: u32) -> i64 {
        KZ_TIME
            .with_ymd_and_hms(2026, 3, day, hour, minute, 0)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn daytime_messages_go_at_once() {
        for (h, m) in [(8, 0), (12, 30), (21, 59)] {
            let at = local(1, h, m);
            assert_eq!(not_before_ms(OutboxKind::Contribution, at), at);
        }
    }

    #[test]
    fn late_evening_and_night_messages_wait_until_eight() {
        assert_eq!(
            not_before_ms(OutboxKind::Document, local(1, 22, 0)),
            local(2, 8, 0)
        );
        assert_eq!(
            not_before_ms(OutboxKind::Broadcast, local(1, 23, 59)),
            local(2, 8, 0)
        );
        assert_eq!(
            not_before_ms(OutboxKind::Contribution, local(2, 0, 10)),
            local(2, 8, 0)
        );
        assert_eq!(
            not_before_ms(OutboxKind::Contribution, local(2, 7, 59)),
            local(2, 8, 0)
        );
    }

    #[test]
    fn status_changes_reminders_and_answers_are_never_held() {
        let night = local(1, 23, 0);
        for kind in [
            OutboxKind::Status,
            OutboxKind::Reminder,
            OutboxKind::Interactive,
        ] {
            assert_eq!(not_before_ms(kind, night), night);
        }
    }
}
