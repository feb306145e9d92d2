//! Conversions between stored columns and Rust values, shared by the repositories.
//!
//! Reading never panics: a value that does not parse becomes `StoreError::Corrupt` naming the
//! table and column (never the value itself).

use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::StoreError;

const DATE_FORMAT: &str = "%Y-%m-%d";

/// A date as stored: `YYYY-MM-DD`, which also sorts and compares correctly as text.
pub(crate) fn date_text(date: NaiveDate) -> String {
    date.format(DATE_FORMAT).to_string()
}

pub(crate) fn parse_date(
    text: &str,
    table: &'static str,
    column: &'static str,
) -> Result<NaiveDate, StoreError> {
    // chrono accepts some non-canonical widths; insist on exactly what we write.
    if text.len() != 10 {
        return Err(StoreError::Corrupt { table, column });
    }
    NaiveDate::parse_from_str(text, DATE_FORMAT).map_err(|_| StoreError::Corrupt { table, column })
}

/// Booleans are stored as BIGINT 0/1 on both backends.
pub(crate) fn bool_value(flag: bool) -> i64 {
    i64::from(flag)
}

pub(crate) fn parse_bool(
    value: i64,
    table: &'static str,
    column: &'static str,
) -> Result<bool, StoreError> {
    match value {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(StoreError::Corrupt { table, column }),
    }
}

/// Typed column access that reports which column failed instead of an index.
pub(crate) struct Columns<'r> {
    row: &'r AnyRow,
    table: &'static str,
}

impl<'r> Columns<'r> {
    pub(crate) fn new(row: &'r AnyRow, table: &'static str) -> Self {
        Columns { row, table }
    }

    pub(crate) fn i64(&self, column: &'static str) -> Result<i64, StoreError> {
        self.row
            .try_get::<i64, _>(column)
            .map_err(|_| self.corrupt(column))
    }

    pub(crate) fn opt_i64(&self, column: &'static str) -> Result<Option<i64>, StoreError> {
        self.row
            .try_get::<Option<i64>, _>(column)
            .map_err(|_| self.corrupt(column))
    }

    pub(crate) fn text(&self, column: &'static str) -> Result<String, StoreError> {
        self.row
            .try_get::<String, _>(column)
            .map_err(|_| self.corrupt(column))
    }

    pub(crate) fn opt_text(&self, column: &'static str) -> Result<Option<String>, StoreError> {
        self.row
            .try_get::<Option<String>, _>(column)
            .map_err(|_| self.corrupt(column))
    }

    pub(crate) fn date(&self, column: &'static str) -> Result<NaiveDate, StoreError> {
        parse_date(&self.text(column)?, self.table, column)
    }

    pub(crate) fn bool(&self, column: &'static str) -> Result<bool, StoreError> {
        parse_bool(self.i64(column)?, self.table, column)
    }

    /// Parses a text column with the domain's own parser.
    pub(crate) fn parsed<T, E>(
        &self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, StoreError> {
        parse(&self.text(column)?).map_err(|_| self.corrupt(column))
    }

    pub(crate) fn opt_parsed<T, E>(
        &self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, StoreError> {
        match self.opt_text(column)? {
            None => Ok(None),
            Some(text) => parse(&text).map(Some).map_err(|_| self.corrupt(column)),
        }
    }

    pub(crate) fn corrupt(&self, column: &'static str) -> StoreError {
        StoreError::Corrupt {
            table: self.table,
            column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_reject_other_shapes() {
        let d = NaiveDate::from_ymd_opt(2024, 2, 29);
        let text = d.map(date_text).unwrap_or_default();
        assert_eq!(text, "2024-02-29");
        assert_eq!(parse_date(&text, "t", "c").ok(), d);
        for bad in [
            "2023-02-29",
            "2024-2-29",
            "29.02.2024",
            "",
            "2024-02-29T00:00",
        ] {
            assert!(matches!(
                parse_date(bad, "t", "c"),
                Err(StoreError::Corrupt {
                    table: "t",
                    column: "c"
                })
            ));
        }
    }

    #[test]
    fn booleans_are_zero_or_one() {
        assert_eq!(parse_bool(bool_value(true), "t", "c").ok(), Some(true));
        assert_eq!(parse_bool(bool_value(false), "t", "c").ok(), Some(false));
        assert!(parse_bool(2, "t", "c").is_err());
    }
}
