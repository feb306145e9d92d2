//! Dates typed by people: `dd.mm.yyyy`, nothing looser, so `1.1.25` or `2025-01-01` are
//! refused with a reason instead of being guessed.

use chrono::{FixedOffset, NaiveDate};

/// Kazakhstan's one time zone, UTC+5 since March 2024: "today", "the year of filing", quiet
/// hours and every time shown to a user are read in it.
pub const KAZAKHSTAN_TIME: FixedOffset = match FixedOffset::east_opt(5 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+5 is a valid offset"),
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("not in the form dd.mm.yyyy")]
    Format,
    #[error("no such day in the calendar")]
    NoSuchDay,
}

/// Parses `dd.mm.yyyy` (surrounding spaces allowed).
pub fn parse_day(text: &str) -> Result<NaiveDate, DateError> {
    let text = text.trim();
    let parts: Vec<&str> = text.split('.').collect();
    let shape_ok = parts.len() == 3
        && parts[0].len() == 2
        && parts[1].len() == 2
        && parts[2].len() == 4
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if !shape_ok {
        return Err(DateError::Format);
    }
    let number = |p: &str| p.parse::<u32>().map_err(|_| DateError::Format);
    let (day, month, year) = (number(parts[0])?, number(parts[1])?, number(parts[2])?);
    let year = i32::try_from(year).map_err(|_| DateError::Format)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::NoSuchDay)
}

/// `dd.mm.yyyy`.
pub fn format_day(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn only_the_full_form_is_a_date() {
        assert_eq!(
            parse_day("25.12.2025"),
            NaiveDate::from_ymd_opt(2025, 12, 25).ok_or(DateError::Format)
        );
        assert_eq!(
            parse_day(" 01.01.2024 "),
            NaiveDate::from_ymd_opt(2024, 1, 1).ok_or(DateError::Format)
        );
        for bad in [
            "1.1.25",
            "2025-01-01",
            "01/01/2025",
            "01.01.25",
            "текст",
            "",
            "😀",
            "01.01.2025.1",
        ] {
            assert_eq!(parse_day(bad), Err(DateError::Format), "{bad}");
        }
        assert_eq!(parse_day("31.02.2025"), Err(DateError::NoSuchDay));
        assert_eq!(parse_day("29.02.2025"), Err(DateError::NoSuchDay));
        assert!(parse_day("29.02.2024").is_ok());
        assert_eq!(parse_day("00.01.2025"), Err(DateError::NoSuchDay));
        assert_eq!(parse_day("01.13.2025"), Err(DateError::NoSuchDay));
    }

    proptest! {
        #[test]
        fn formatting_and_parsing_agree(days in 0i64..80_000) {
            let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            prop_assert_eq!(parse_day(&format_day(date)), Ok(date));
        }

        #[test]
        fn no_text_panics(text in "\\PC{0,30}") {
            let _ = parse_day(&text);
        }
    }
}
