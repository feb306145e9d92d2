//! Opening hours of a branch: one optional working day per weekday, each with an optional
//! lunch break. Times are minutes after local midnight (Kazakhstan time), so a schedule is
//! small, exact and `Eq` (it travels inside the dialogue state).

use chrono::Weekday;
use serde::{Deserialize, Serialize};

/// Minutes in a day: the latest a branch can close.
pub const DAY_MINUTES: u16 = 24 * 60;

/// One working day: open from `open` to `close`, closed for lunch from `lunch.0` to `lunch.1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DayHours {
    pub open: u16,
    pub close: u16,
    pub lunch: Option<(u16, u16)>,
}

impl DayHours {
    /// A working day, checked: it opens before it closes, within the day, and a lunch break
    /// lies strictly inside the working hours.
    pub fn new(open: u16, close: u16, lunch: Option<(u16, u16)>) -> Result<DayHours, &'static str> {
        if open >= close || close > DAY_MINUTES {
            return Err("opening time must come before closing time, within the day");
        }
        if let Some((from, to)) = lunch
            && !(open < from && from < to && to < close)
        {
            return Err("the lunch break must lie inside the working hours");
        }
        Ok(DayHours { open, close, lunch })
    }

    /// The working stretches of the day: before and after lunch, or the whole day.
    pub fn sessions(&self) -> Vec<(u16, u16)> {
        match self.lunch {
            Some((from, to)) => vec![(self.open, from), (to, self.close)],
            None => vec![(self.open, self.close)],
        }
    }
}

/// The week, Monday first; `None` is a day off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct WeekHours {
    pub days: [Option<DayHours>; 7],
}

impl WeekHours {
    pub fn on(&self, weekday: Weekday) -> Option<DayHours> {
        self.days[weekday.num_days_from_monday() as usize]
    }

    pub fn set(&mut self, weekday: Weekday, hours: Option<DayHours>) {
        self.days[weekday.num_days_from_monday() as usize] = hours;
    }

    /// Whether the branch works on any day at all.
    pub fn is_empty(&self) -> bool {
        self.days.iter().all(Option::is_none)
    }

    /// Runs of consecutive weekdays with the same hours, Monday to Sunday, for display:
    /// `[(Mon, Fri, Some(9–18)), (Sat, Sat, Some(10–14)), (Sun, Sun, None)]`.
    pub fn runs(&self) -> Vec<(Weekday, Weekday, Option<DayHours>)> {
        let mut runs: Vec<(Weekday, Weekday, Option<DayHours>)> = Vec::new();
        for (index, hours) in self.days.iter().enumerate() {
            let day = weekday(index);
            match runs.last_mut() {
                Some((_, last, h)) if h == hours => *last = day,
                _ => runs.push((day, day, *hours)),
            }
        }
        runs
    }
}

/// Monday = 0 ... Sunday = 6.
pub fn weekday(index: usize) -> Weekday {
    match index {
        0 => Weekday::Mon,
        1 => Weekday::Tue,
        2 => Weekday::Wed,
        3 => Weekday::Thu,
        4 => Weekday::Fri,
        5 => Weekday::Sat,
        _ => Weekday::Sun,
    }
}

/// `HH:MM` (or `H:MM`) to minutes after midnight; `24:00` is allowed as a closing time.
pub fn parse_hhmm(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    let total = h.checked_mul(60)?.checked_add(m)?;
    (m < 60 && total <= DAY_MINUTES).then_some(total)
}

/// Minutes after midnight as `HH:MM`.
pub fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_parse_and_print() {
        assert_eq!(parse_hhmm("09:00"), Some(540));
        assert_eq!(parse_hhmm("9:30"), Some(570));
        assert_eq!(parse_hhmm("24:00"), Some(1440));
        for bad in [
            "24:01", "9:5", "12:60", "1200", "", ":30", "123:00", "ab:cd",
        ] {
            assert_eq!(parse_hhmm(bad), None, "{bad}");
        }
        assert_eq!(hhmm(545), "09:05");
    }

    #[test]
    fn a_day_must_open_before_it_closes_and_lunch_lies_inside() {
        assert!(DayHours::new(540, 1080, Some((780, 840))).is_ok());
        assert!(DayHours::new(1080, 540, None).is_err());
        assert!(DayHours::new(540, 1500, None).is_err());
        assert!(DayHours::new(540, 1080, Some((540, 600))).is_err());
        assert!(DayHours::new(540, 1080, Some((900, 840))).is_err());
        assert!(DayHours::new(540, 1080, Some((1000, 1080))).is_err());
    }

    #[test]
    fn runs_group_equal_neighbouring_days() {
        let work = DayHours::new(540, 1080, Some((780, 840))).ok();
        let saturday = DayHours::new(600, 840, None).ok();
        let mut week = WeekHours::default();
        for i in 0..5 {
            week.days[i] = work;
        }
        week.days[5] = saturday;
        assert_eq!(
            week.runs(),
            vec![
                (Weekday::Mon, Weekday::Fri, work),
                (Weekday::Sat, Weekday::Sat, saturday),
                (Weekday::Sun, Weekday::Sun, None),
            ]
        );
    }
}
