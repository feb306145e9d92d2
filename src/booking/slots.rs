//! Which appointments a branch can give: the day's grid of slots from its hours, lunch break
//! and the service's appointment length; which days count (holidays and days off do not); and
//! which slots are still open for booking at a given moment (not past, not closing within
//! [`CLOSES_BEFORE_MINUTES`]). All times are Kazakhstan local time.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::hours::{DayHours, WeekHours};
use super::reference::{Holidays, Names};
use super::{local_to_ms, ms_to_local};

/// Booking for a slot closes this many minutes before it starts.
pub const CLOSES_BEFORE_MINUTES: i64 = 30;
/// How far ahead one can book: this many of the branch's working days, today included.
pub const HORIZON_WORKING_DAYS: usize = 14;
/// Looking further than this for working days means the branch does not work.
const HORIZON_SEARCH_DAYS: i64 = 120;

/// One appointment, local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

impl Slot {
    pub fn start_ms(&self) -> i64 {
        local_to_ms(self.start)
    }

    pub fn end_ms(&self) -> i64 {
        local_to_ms(self.end)
    }

    /// The slot of `minutes` starting at the instant `start_ms`.
    pub fn from_start_ms(start_ms: i64, minutes: u16) -> Option<Slot> {
        let start = ms_to_local(start_ms)?;
        Some(Slot {
            start,
            end: start + Duration::minutes(i64::from(minutes)),
        })
    }

    /// Minutes after local midnight of the start.
    pub fn start_minute(&self) -> u16 {
        minute_of(self.start.time())
    }
}

fn minute_of(time: NaiveTime) -> u16 {
    use chrono::Timelike;
    (time.hour() * 60 + time.minute()) as u16
}

fn at(date: NaiveDate, minute: u16) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(minute))
}

/// The hours of `date`, unless it is a holiday or the branch's day off.
pub fn working_hours(week: &WeekHours, holidays: &Holidays, date: NaiveDate) -> Option<DayHours> {
    if holidays.contains(date) {
        return None;
    }
    week.on(date.weekday())
}

/// Every slot of the day, past or not: each working stretch (before and after lunch) is cut
/// into appointments of `slot_minutes` from its start; a remainder too short for one is left.
pub fn day_grid(
    week: &WeekHours,
    holidays: &Holidays,
    date: NaiveDate,
    slot_minutes: u16,
) -> Vec<Slot> {
    let Some(hours) = working_hours(week, holidays, date) else {
        return Vec::new();
    };
    if slot_minutes == 0 {
        return Vec::new();
    }
    let mut slots = Vec::new();
    for (from, to) in hours.sessions() {
        let mut start = from;
        while start + slot_minutes <= to {
            slots.push(Slot {
                start: at(date, start),
                end: at(date, start + slot_minutes),
            });
            start += slot_minutes;
        }
    }
    slots
}

/// Whether a slot can still be booked at `now`: it starts at least
/// [`CLOSES_BEFORE_MINUTES`] from now.
pub fn still_bookable(slot: &Slot, now: NaiveDateTime) -> bool {
    slot.start - now >= Duration::minutes(CLOSES_BEFORE_MINUTES)
}

/// The slots of the day still open for booking at `now` (local).
pub fn bookable_slots(
    week: &WeekHours,
    holidays: &Holidays,
    date: NaiveDate,
    slot_minutes: u16,
    now: NaiveDateTime,
) -> Vec<Slot> {
    day_grid(week, holidays, date, slot_minutes)
        .into_iter()
        .filter(|slot| still_bookable(slot, now))
        .collect()
}

/// The branch's next [`HORIZON_WORKING_DAYS`] working days, `today` first if it is one.
pub fn horizon(week: &WeekHours, holidays: &Holidays, today: NaiveDate) -> Vec<NaiveDate> {
    (0..HORIZON_SEARCH_DAYS)
        .map(|n| today + Duration::days(n))
        .filter(|date| working_hours(week, holidays, *date).is_some())
        .take(HORIZON_WORKING_DAYS)
        .collect()
}

/// What a chosen or typed day is, for this branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayCheck {
    /// A working day within the horizon (it may still have no free slot).
    Open,
    Past,
    Holiday(Names),
    /// The branch does not work on this weekday.
    DayOff,
    /// Later than the last day of the horizon.
    BeyondHorizon {
        last: NaiveDate,
    },
}

pub fn check_day(
    week: &WeekHours,
    holidays: &Holidays,
    today: NaiveDate,
    date: NaiveDate,
) -> DayCheck {
    if date < today {
        return DayCheck::Past;
    }
    if let Some(name) = holidays.on(date) {
        return DayCheck::Holiday(name.clone());
    }
    if week.on(date.weekday()).is_none() {
        return DayCheck::DayOff;
    }
    let days = horizon(week, holidays, today);
    match days.last() {
        Some(last) if date > *last => DayCheck::BeyondHorizon { last: *last },
        None => DayCheck::DayOff,
        _ => DayCheck::Open,
    }
}

/// What a typed time is on an open day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeCheck {
    /// A slot of the schedule that can still be booked (free or not: the store knows).
    Slot(Slot),
    /// Already past (or starting now).
    Past,
    /// Starts within [`CLOSES_BEFORE_MINUTES`]: booking for it is closed.
    ClosesSoon,
    /// Falls into the lunch break.
    Lunch { from: u16, to: u16 },
    /// Before opening, or the appointment would end after closing; `last` is the day's last
    /// start for this service.
    OutsideHours { open: u16, close: u16, last: u16 },
    /// Within hours, but appointments do not start then.
    OffGrid,
}

pub fn check_time(
    hours: DayHours,
    date: NaiveDate,
    slot_minutes: u16,
    minute: u16,
    now: NaiveDateTime,
) -> TimeCheck {
    let start = at(date, minute);
    if start <= now {
        return TimeCheck::Past;
    }
    let end = minute.saturating_add(slot_minutes);
    if minute < hours.open || end > hours.close {
        let last = hours
            .sessions()
            .iter()
            .filter(|(from, to)| to - from >= slot_minutes)
            .map(|(from, to)| from + (to - from - slot_minutes) / slot_minutes * slot_minutes)
            .max()
            .unwrap_or(hours.open);
        return TimeCheck::OutsideHours {
            open: hours.open,
            close: hours.close,
            last,
        };
    }
    if let Some((from, to)) = hours.lunch
        && minute < to
        && end > from
    {
        return TimeCheck::Lunch { from, to };
    }
    let on_grid = hours.sessions().iter().any(|(from, to)| {
        minute >= *from && end <= *to && (minute - from).is_multiple_of(slot_minutes)
    });
    if !on_grid {
        return TimeCheck::OffGrid;
    }
    let slot = Slot {
        start,
        end: at(date, end),
    };
    if !still_bookable(&slot, now) {
        return TimeCheck::ClosesSoon;
    }
    TimeCheck::Slot(slot)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::Weekday;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn week() -> WeekHours {
        let mut week = WeekHours::default();
        let work = DayHours::new(540, 1080, Some((780, 840))).ok();
        for day in [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ] {
            week.set(day, work);
        }
        week.set(Weekday::Sat, DayHours::new(600, 840, None).ok());
        week
    }

    fn holidays() -> Holidays {
        let name = Names {
            kk: "Мереке".into(),
            ru: "Праздник".into(),
            en: "Holiday".into(),
        };
        Holidays::new(BTreeMap::from([(date(2026, 3, 9), name)]))
    }

    #[test]
    fn the_grid_skips_lunch_and_ends_before_closing() {
        let slots = day_grid(&week(), &holidays(), date(2026, 3, 3), 30);
        // 09:00–13:00 and 14:00–18:00: eight half hours each.
        assert_eq!(slots.len(), 16);
        assert_eq!(slots[0].start_minute(), 540);
        assert_eq!(slots[7].start_minute(), 750);
        assert_eq!(slots[8].start_minute(), 840);
        assert_eq!(
            slots[15].end.time(),
            NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default()
        );
        // A 45-minute service leaves the remainder of each stretch unused.
        let long = day_grid(&week(), &holidays(), date(2026, 3, 3), 45);
        assert!(
            long.iter()
                .all(|s| s.end.time() <= NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default())
        );
        assert_eq!(long.len(), 10);
    }

    #[test]
    fn holidays_and_days_off_have_no_slots() {
        assert!(day_grid(&week(), &holidays(), date(2026, 3, 9), 15).is_empty());
        assert!(day_grid(&week(), &holidays(), date(2026, 3, 8), 15).is_empty());
        assert_eq!(
            day_grid(&week(), &holidays(), date(2026, 3, 7), 15).len(),
            16
        );
    }

    #[test]
    fn booking_closes_half_an_hour_before_the_slot() {
        let now = date(2026, 3, 2).and_hms_opt(15, 0, 0).unwrap_or_default();
        let slots = bookable_slots(&week(), &holidays(), date(2026, 3, 2), 15, now);
        assert_eq!(slots.first().map(Slot::start_minute), Some(15 * 60 + 30));
        let slots = bookable_slots(
            &week(),
            &holidays(),
            date(2026, 3, 2),
            15,
            now + Duration::minutes(1),
        );
        assert_eq!(slots.first().map(Slot::start_minute), Some(15 * 60 + 45));
    }

    #[test]
    fn the_horizon_counts_working_days_only() {
        let days = horizon(&week(), &holidays(), date(2026, 3, 2));
        assert_eq!(days.len(), HORIZON_WORKING_DAYS);
        assert_eq!(days[0], date(2026, 3, 2));
        assert!(!days.contains(&date(2026, 3, 8)), "Sunday");
        assert!(!days.contains(&date(2026, 3, 9)), "holiday");
        assert!(days.contains(&date(2026, 3, 7)), "Saturday is worked");
        assert_eq!(days.last(), Some(&date(2026, 3, 18)));
    }

    #[test]
    fn days_are_checked_in_a_useful_order() {
        let today = date(2026, 3, 2);
        let check = |d| check_day(&week(), &holidays(), today, d);
        assert_eq!(check(date(2026, 3, 1)), DayCheck::Past);
        assert!(matches!(check(date(2026, 3, 9)), DayCheck::Holiday(_)));
        assert_eq!(check(date(2026, 3, 15)), DayCheck::DayOff);
        assert_eq!(check(date(2026, 3, 3)), DayCheck::Open);
        assert_eq!(
            check(date(2026, 3, 19)),
            DayCheck::BeyondHorizon {
                last: date(2026, 3, 18)
            }
        );
    }

    #[test]
    fn typed_times_get_a_reason() {
        let hours = DayHours::new(540, 1080, Some((780, 840))).unwrap_or(DayHours {
            open: 0,
            close: 1,
            lunch: None,
        });
        let day = date(2026, 3, 2);
        let now = day.and_hms_opt(15, 0, 0).unwrap_or_default();
        let check = |m| check_time(hours, day, 30, m, now);
        assert_eq!(check(14 * 60), TimeCheck::Past);
        assert_eq!(check(15 * 60), TimeCheck::Past);
        assert_eq!(check(15 * 60 + 15), TimeCheck::OffGrid);
        assert_eq!(
            check(15 * 60 + 30),
            TimeCheck::Slot(Slot {
                start: day.and_hms_opt(15, 30, 0).unwrap_or_default(),
                end: day.and_hms_opt(16, 0, 0).unwrap_or_default(),
            })
        );
        assert_eq!(
            check(17 * 60 + 45),
            TimeCheck::OutsideHours {
                open: 540,
                close: 1080,
                last: 1050
            }
        );
        let tomorrow = date(2026, 3, 3);
        assert_eq!(
            check_time(hours, tomorrow, 45, 8 * 60, now),
            TimeCheck::OutsideHours {
                open: 540,
                close: 1080,
                last: 1020
            }
        );
        assert_eq!(
            check_time(hours, tomorrow, 30, 13 * 60, now),
            TimeCheck::Lunch { from: 780, to: 840 }
        );
        assert_eq!(
            check_time(hours, tomorrow, 30, 12 * 60 + 45, now),
            TimeCheck::Lunch { from: 780, to: 840 }
        );
        let soon = day.and_hms_opt(15, 10, 0).unwrap_or_default();
        assert_eq!(
            check_time(hours, day, 30, 15 * 60 + 30, soon),
            TimeCheck::ClosesSoon
        );
    }
}
