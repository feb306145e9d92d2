//! Dates and times typed instead of pressing a button: `25.12`, `25.12.2026`, `2026-12-25`,
//! "today"/"tomorrow" in the three languages; `14:30`, `14.30`, `9`. Anything else is "not
//! understood", and a date that is not on the calendar (`31.02`) says so.

use chrono::{Datelike, Duration, NaiveDate};

/// A day and month without a year mean the coming date, unless that is more than this many
/// days back (then they mean next year's: "05.01" typed in late December).
const PAST_WINDOW_DAYS: i64 = 183;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypedDate {
    Date(NaiveDate),
    /// Looks like a date but is not on the calendar.
    NoSuchDate,
    NotUnderstood,
}

pub fn parse_date(text: &str, today: NaiveDate) -> TypedDate {
    let text = text.trim().to_lowercase();
    match text.as_str() {
        "сегодня" | "бүгін" | "today" => return TypedDate::Date(today),
        "завтра" | "ертең" | "tomorrow" => {
            return TypedDate::Date(today + Duration::days(1));
        }
        _ => {}
    }
    let parts: Vec<&str> = text
        .split(['.', '/', '-', ' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2
        || parts.len() > 3
        || !parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
    {
        return TypedDate::NotUnderstood;
    }
    let number = |p: &str| p.parse::<u32>().ok();
    let (year, month, day) = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => {
            (number(y).map(|y| y as i32), number(m), number(d))
        }
        [d, m, y] if d.len() <= 2 && m.len() <= 2 && (y.len() == 4 || y.len() == 2) => {
            let y = number(y).map(|y| if y < 100 { 2000 + y } else { y } as i32);
            (y, number(m), number(d))
        }
        [d, m] if d.len() <= 2 && m.len() <= 2 => (None, number(m), number(d)),
        _ => return TypedDate::NotUnderstood,
    };
    let (Some(month), Some(day)) = (month, day) else {
        return TypedDate::NotUnderstood;
    };
    let year = match year {
        Some(year) => year,
        None => {
            let this_year = NaiveDate::from_ymd_opt(today.year(), month, day);
            match this_year {
                Some(d) if d < today - Duration::days(PAST_WINDOW_DAYS) => today.year() + 1,
                _ => today.year(),
            }
        }
    };
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => TypedDate::Date(date),
        None => TypedDate::NoSuchDate,
    }
}

/// Minutes after midnight of a typed time; `None` when it is not one.
pub fn parse_time(text: &str) -> Option<u16> {
    let text = text.trim();
    let (h, m) = match text.split_once([':', '.', ' ']) {
        Some((h, m)) => (h.trim(), m.trim()),
        None => (text, "00"),
    };
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    if !h.chars().chain(m.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn dates_in_the_usual_shapes() {
        let today = date(2026, 3, 2);
        for (text, expected) in [
            ("25.12", date(2026, 12, 25)),
            ("3.3", date(2026, 3, 3)),
            ("03.03.2026", date(2026, 3, 3)),
            ("03/03/26", date(2026, 3, 3)),
            ("2026-03-03", date(2026, 3, 3)),
            (" Завтра ", date(2026, 3, 3)),
            ("бүгін", today),
            ("01.03", date(2026, 3, 1)),
        ] {
            assert_eq!(parse_date(text, today), TypedDate::Date(expected), "{text}");
        }
    }

    #[test]
    fn a_day_long_past_means_next_year() {
        let today = date(2026, 12, 28);
        assert_eq!(
            parse_date("05.01", today),
            TypedDate::Date(date(2027, 1, 5))
        );
        assert_eq!(
            parse_date("20.12", today),
            TypedDate::Date(date(2026, 12, 20))
        );
    }

    #[test]
    fn not_dates() {
        let today = date(2026, 3, 2);
        assert_eq!(parse_date("31.02", today), TypedDate::NoSuchDate);
        assert_eq!(parse_date("12.13", today), TypedDate::NoSuchDate);
        for text in ["45", "", "next monday", "1.2.3.4", "123.12", "14:30"] {
            assert_eq!(parse_date(text, today), TypedDate::NotUnderstood, "{text}");
        }
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("14:30"), Some(870));
        assert_eq!(parse_time("9.15"), Some(555));
        assert_eq!(parse_time("09 45"), Some(585));
        assert_eq!(parse_time("10"), Some(600));
        for text in ["24:00", "14:3", "14:60", "abc", "", "1430", "-1:00"] {
            assert_eq!(parse_time(text), None, "{text}");
        }
    }
}
