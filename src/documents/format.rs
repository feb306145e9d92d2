//! How documents write dates, months and instants: `dd.mm.yyyy`, `mm.yyyy`, and Kazakhstan
//! time (UTC+5, the country's single time zone since 1 March 2024).

use chrono::{DateTime, NaiveDate, Utc};

/// UTC+5. Evaluated at compile time, so the `panic!` can never run.
pub use crate::domain::dates::KAZAKHSTAN_TIME as KAZAKHSTAN;

/// `31.12.2025`.
pub fn date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// `31.12.2025 14:05` in Kazakhstan time.
pub fn kazakhstan_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&KAZAKHSTAN)
        .format("%d.%m.%Y %H:%M")
        .to_string()
}

/// The calendar date in Kazakhstan at `at`.
pub fn kazakhstan_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&KAZAKHSTAN).date_naive()
}

/// A stored contribution period `2024-03` as `03.2024`; anything else is shown as stored.
pub fn period(stored: &str) -> String {
    match stored.split_once('-') {
        Some((year, month))
            if year.len() == 4
                && month.len() == 2
                && year
                    .bytes()
                    .chain(month.bytes())
                    .all(|b| b.is_ascii_digit()) =>
        {
            format!("{month}.{year}")
        }
        _ => stored.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_and_periods() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 7).unwrap();
        assert_eq!(date(d), "07.03.2025");
        assert_eq!(period("2024-03"), "03.2024");
        assert_eq!(period("2024-3"), "2024-3");
        assert_eq!(period(""), "");
    }

    #[test]
    fn kazakhstan_is_five_hours_ahead_of_utc() {
        let at = Utc.with_ymd_and_hms(2025, 12, 31, 20, 30, 0).unwrap();
        assert_eq!(kazakhstan_time(at), "01.01.2026 01:30");
        assert_eq!(
            kazakhstan_date(at),
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
        );
    }
}
