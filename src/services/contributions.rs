//! Contributions reported by the fund's registry, read from a file an operator imports
//! (`zeinet contributions import FILE`). Every line is checked before anything is written;
//! then each contribution is recorded with its notices in a transaction of its own
//! ([`record_contribution`]), and one recorded already is skipped, so an import can be run
//! again safely.
//!
//! The file: UTF-8 text, one contribution a line, fields separated by `;`:
//! `IIN;ACCOUNT;AMOUNT;DATE[;EMPLOYER[;PERIOD]]` — ACCOUNT is `opv`, `oppv`, `opvr` or `dpv`,
//! AMOUNT in tenge (`42500`, `42 500,50`), DATE `DD.MM.YYYY` or `YYYY-MM-DD`, PERIOD `YYYY-MM`
//! (the month before DATE when empty). Blank lines and lines starting with `#` are skipped.

use chrono::{DateTime, NaiveDate, Utc};

use super::notifications::{Contribution, ContributionError, previous_month, record_contribution};
use crate::domain::{Iin, Money};
use crate::i18n::I18n;
use crate::store::accounts::AccountKind;
use crate::store::{Db, StoreError};

/// The longest employer name kept.
const EMPLOYER_CHARS: usize = 200;

/// A line that cannot be imported: its number and why. Never quotes the IIN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct LineError {
    pub line: usize,
    pub reason: String,
}

/// Reads a date typed as `DD.MM.YYYY` or `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%d.%m.%Y")
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d"))
        .ok()
}

/// Reads a month `YYYY-MM`.
pub fn parse_period(text: &str) -> Option<String> {
    let text = text.trim();
    NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
        .ok()
        .map(|_| text.to_string())
}

/// Checks the fields of one contribution as an operator types them.
pub fn contribution_from_fields(
    iin: &str,
    account: &str,
    amount: &str,
    date: &str,
    employer: Option<&str>,
    period: Option<&str>,
) -> Result<(Iin, Contribution), String> {
    let iin = Iin::parse(iin.trim()).map_err(|e| format!("the IIN is not valid: {e}"))?;
    let account = AccountKind::from_code(&account.trim().to_lowercase())
        .ok_or_else(|| format!("unknown account {account:?}; one of: opv, oppv, opvr, dpv"))?;
    let amount =
        Money::parse(amount).map_err(|e| format!("the amount {amount:?} is not valid: {e}"))?;
    if amount.tiyn() <= 0 {
        return Err("a contribution must be more than zero".into());
    }
    let date = parse_date(date).ok_or_else(|| format!("{date:?} is not a date like 02.03.2026"))?;
    let period = match period.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => parse_period(p).ok_or_else(|| format!("{p:?} is not a month like 2026-02"))?,
        None => previous_month(date),
    };
    let employer = employer
        .map(|e| e.trim().chars().take(EMPLOYER_CHARS).collect::<String>())
        .filter(|e| !e.is_empty());
    Ok((
        iin,
        Contribution {
            account,
            amount,
            date,
            employer,
            period,
        },
    ))
}

/// Checks every line of a registry file; the contributions, or every bad line.
pub fn parse_file(text: &str) -> Result<Vec<(Iin, Contribution)>, Vec<LineError>> {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(';').collect();
        let parsed = match fields.as_slice() {
            [iin, account, amount, date] => {
                contribution_from_fields(iin, account, amount, date, None, None)
            }
            [iin, account, amount, date, employer] => {
                contribution_from_fields(iin, account, amount, date, Some(employer), None)
            }
            [iin, account, amount, date, employer, period] => {
                contribution_from_fields(iin, account, amount, date, Some(employer), Some(period))
            }
            _ => Err("expected IIN;ACCOUNT;AMOUNT;DATE[;EMPLOYER[;PERIOD]]".into()),
        };
        match parsed {
            Ok(item) => found.push(item),
            Err(reason) => errors.push(LineError {
                line: index + 1,
                reason,
            }),
        }
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub recorded: usize,
    /// Recorded by an earlier run (or reported twice).
    pub already_recorded: usize,
    pub notices: usize,
}

/// Why an import stopped. Lines recorded before a stop stay recorded (each with its
/// notices); running the import again skips them.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} line(s) cannot be imported, nothing was written:\n{}", .0.len(), join(.0))]
    Lines(Vec<LineError>),
    #[error("line {line}: {source}")]
    Contribution {
        line: usize,
        source: ContributionError,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn join(errors: &[LineError]) -> String {
    errors
        .iter()
        .map(LineError::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Imports a registry file: all lines checked first, then each recorded (see the module).
pub async fn import(
    db: &Db,
    i18n: &I18n,
    text: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    let items = parse_file(text).map_err(ImportError::Lines)?;
    let mut report = ImportReport::default();
    for (index, (iin, contribution)) in items.iter().enumerate() {
        match record_contribution(db, i18n, iin, contribution, by, now).await {
            Ok(recorded) => {
                report.recorded += 1;
                report.notices += recorded.notified;
            }
            Err(ContributionError::AlreadyRecorded) => report.already_recorded += 1,
            Err(source) => {
                return Err(ImportError::Contribution {
                    line: line_of(text, index),
                    source,
                });
            }
        }
    }
    Ok(report)
}

/// The file line of the `n`-th contribution (skipping blanks and comments as the parser does).
fn line_of(text: &str, n: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim();
            !l.is_empty() && !l.starts_with('#')
        })
        .nth(n)
        .map(|(i, _)| i + 1)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_iin() -> String {
        let birth = NaiveDate::from_ymd_opt(1990, 5, 17).unwrap();
        (1..100)
            .find_map(|s| Iin::from_parts(birth, crate::domain::Sex::Female, s))
            .unwrap()
            .as_str()
            .to_string()
    }

    #[test]
    fn lines_are_read_with_optional_employer_and_period() {
        let iin = valid_iin();
        let text = format!(
            "# registry export\n\n{iin};opv;42 500,50;02.03.2026\n\
             {iin};OPPV;1000;2026-03-02;ТОО «Дала»;2025-12\n"
        );
        let items = parse_file(&text).expect("valid");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].1.amount, Money::from_tiyn(4_250_050));
        assert_eq!(items[0].1.period, "2026-02");
        assert_eq!(items[0].1.employer, None);
        assert_eq!(items[1].1.account, AccountKind::Oppv);
        assert_eq!(items[1].1.employer.as_deref(), Some("ТОО «Дала»"));
        assert_eq!(items[1].1.period, "2025-12");
        assert_eq!(line_of(&text, 1), 4);
    }

    #[test]
    fn every_bad_line_is_named_and_none_quotes_the_iin() {
        let iin = valid_iin();
        let text = format!(
            "{iin};opv;100;02.03.2026\n123;opv;100;02.03.2026\n{iin};pension;100;02.03.2026\n\
             {iin};opv;-5;02.03.2026\n{iin};opv;100;2026/03/02\n{iin};opv\n\
             {iin};opv;0;02.03.2026\n{iin};opv;100;02.03.2026;X;2026-13\n"
        );
        let errors = parse_file(&text).expect_err("bad lines");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 8]);
        for e in &errors {
            assert!(!e.to_string().contains(&iin[..6]), "{e}");
        }
    }
}
