//! Queue booking at the fund's branches: the rules, free of I/O.
//!
//! - [`reference`]: the bookable services (appointment lengths), Kazakhstan's days off
//!   2025–2027, and branch files — JSON under `data/booking/`, embedded and checked at load.
//! - [`hours`]: a branch's week of opening hours with lunch breaks.
//! - [`slots`]: the day's slots, the booking horizon, and why a typed day or time is refused.
//! - [`typed`]: dates and times typed instead of pressing a button.
//!
//! Branches keep Kazakhstan time: one zone, UTC+5, since 1 March 2024. Capacity of a slot is
//! the number of windows serving the service; the store turns that into seats.

pub mod hours;
pub mod reference;
pub mod slots;
pub mod typed;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};

pub use hours::{DayHours, WeekHours};
pub use reference::{BranchFile, BranchSpec, Catalogue, CitySpec, Holidays, Names, Service};
pub use slots::{DayCheck, Slot, TimeCheck};

/// Kazakhstan's offset from UTC.
const KZ_OFFSET_MS: i64 = 5 * 3_600_000;

/// At most this many active bookings per depositor (and one per service).
pub const MAX_ACTIVE_BOOKINGS: usize = 2;

/// The local wall-clock time in Kazakhstan at `now`.
pub fn local_now(now: DateTime<Utc>) -> NaiveDateTime {
    (now + Duration::milliseconds(KZ_OFFSET_MS)).naive_utc()
}

/// The instant (unix ms) of a Kazakhstan wall-clock time.
pub fn local_to_ms(local: NaiveDateTime) -> i64 {
    local.and_utc().timestamp_millis() - KZ_OFFSET_MS
}

/// The Kazakhstan wall-clock time of an instant.
pub fn ms_to_local(ms: i64) -> Option<NaiveDateTime> {
    DateTime::from_timestamp_millis(ms.checked_add(KZ_OFFSET_MS)?).map(|t| t.naive_utc())
}

/// A branch as booking sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    pub id: i64,
    pub code: String,
    pub city_id: i64,
    pub city: Names,
    pub name: Names,
    pub address: Names,
    pub latitude_e6: i64,
    pub longitude_e6: i64,
    pub hours: WeekHours,
    /// Service code and the windows serving it, by code.
    pub services: Vec<(String, u32)>,
}

impl Branch {
    /// The capacity of one slot of `service`: the windows serving it (0: not offered here).
    pub fn windows(&self, service: &str) -> u32 {
        self.services
            .iter()
            .find(|(code, _)| code == service)
            .map_or(0, |(_, windows)| *windows)
    }
}

/// A city that has branches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct City {
    pub id: i64,
    pub code: String,
    pub name: Names,
    pub branches: i64,
}

/// The code a depositor names at the branch: the branch's code and the booking's number,
/// `ALA1-0042`.
pub fn booking_code(branch_code: &str, booking_id: i64) -> String {
    let branch: String = branch_code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    format!("{branch}-{booking_id:04}")
}

/// The two reminders of a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReminderKind {
    /// The evening before, at [`DAY_BEFORE_AT`] local time.
    DayBefore,
    /// One hour before the start.
    HourBefore,
}

/// The evening reminder goes out at 18:00 local time the day before.
pub const DAY_BEFORE_AT: NaiveTime = match NaiveTime::from_hms_opt(18, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

impl ReminderKind {
    pub const ALL: [ReminderKind; 2] = [ReminderKind::DayBefore, ReminderKind::HourBefore];

    pub fn code(self) -> &'static str {
        match self {
            ReminderKind::DayBefore => "day_before",
            ReminderKind::HourBefore => "hour_before",
        }
    }

    pub fn from_code(code: &str) -> Option<ReminderKind> {
        ReminderKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// When this reminder of a visit starting at `start` (local) is due (local).
    pub fn due(self, start: NaiveDateTime) -> NaiveDateTime {
        match self {
            ReminderKind::DayBefore => {
                let day_before: NaiveDate = start.date() - Duration::days(1);
                day_before.and_time(DAY_BEFORE_AT)
            }
            ReminderKind::HourBefore => start - Duration::hours(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn local_time_is_utc_plus_five() {
        let now = Utc
            .with_ymd_and_hms(2026, 3, 2, 10, 0, 0)
            .single()
            .unwrap_or_default();
        let local = local_now(now);
        assert_eq!(local.to_string(), "2026-03-02 15:00:00");
        assert_eq!(local_to_ms(local), now.timestamp_millis());
        assert_eq!(ms_to_local(now.timestamp_millis()), Some(local));
    }

    #[test]
    fn booking_codes_name_the_branch() {
        assert_eq!(booking_code("ala-1", 42), "ALA1-0042");
        assert_eq!(booking_code("ast-2", 123456), "AST2-123456");
    }

    #[test]
    fn reminders_fall_the_evening_before_and_an_hour_before() {
        let start = NaiveDate::from_ymd_opt(2026, 3, 3)
            .and_then(|d| d.and_hms_opt(10, 30, 0))
            .unwrap_or_default();
        assert_eq!(
            ReminderKind::DayBefore.due(start).to_string(),
            "2026-03-02 18:00:00"
        );
        assert_eq!(
            ReminderKind::HourBefore.due(start).to_string(),
            "2026-03-03 09:30:00"
        );
    }
}
