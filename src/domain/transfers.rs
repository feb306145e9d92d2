//! The rules of moving pension savings between trust managers (memo services 5 and 7):
//! which savings may go to a private portfolio manager and how large a share, the one-year
//! rule between transfers, and which manager applications may still be cancelled. Pure: the
//! registry's dates come from `store::manager_transfers`, the dialogue asks in
//! `dialogue::transfers`.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::application::{ApplicationKind, ApplicationStatus};

/// The savings a manager application is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Savings {
    /// ОПВ and ОППВ together: at most half may go to a private manager (domain.md).
    Mandatory,
    /// ДПВ: may go to a private manager in full.
    Voluntary,
}

impl Savings {
    pub const ALL: [Savings; 2] = [Savings::Mandatory, Savings::Voluntary];

    /// The stored code (`manager_transfers.savings`, the documents' `savings`).
    pub fn code(self) -> &'static str {
        match self {
            Savings::Mandatory => "mandatory",
            Savings::Voluntary => "voluntary",
        }
    }

    pub fn from_code(code: &str) -> Option<Savings> {
        Savings::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The largest share, in whole percent, that may be placed with a private manager.
    pub fn max_share(self) -> u8 {
        match self {
            Savings::Mandatory => 50,
            Savings::Voluntary => 100,
        }
    }
}

/// A share of savings in whole percent, within the limit of its savings. Built only by
/// [`Share::parse`] (or [`Share::all`] for a return to the National Bank).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Share(u8);

/// Why a typed share was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ShareError {
    #[error("the share is not a number")]
    NotANumber,
    #[error("the share is a whole number of percent")]
    NotWhole,
    #[error("the share is at least 1%")]
    Zero,
    #[error("the share is at most {max}%")]
    OverMax { max: u8 },
}

impl Share {
    /// Parses `30`, `30%`, ` 30 % ` for savings of this kind: a whole percent from 1 to the
    /// kind's limit (50 for mandatory savings, 100 for voluntary ones).
    pub fn parse(input: &str, savings: Savings) -> Result<Share, ShareError> {
        let text = input.trim();
        let text = text.strip_suffix('%').unwrap_or(text).trim_end();
        if text.is_empty() {
            return Err(ShareError::NotANumber);
        }
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if let Some((whole, fraction)) = text.split_once(['.', ',']) {
            return Err(if digits(whole) && digits(fraction) {
                ShareError::NotWhole
            } else {
                ShareError::NotANumber
            });
        }
        if !digits(text) {
            return Err(ShareError::NotANumber);
        }
        let max = savings.max_share();
        // Any digit string longer than three is over every limit; no overflow to handle.
        let value: u32 = if text.trim_start_matches('0').len() > 3 {
            u32::MAX
        } else {
            text.parse().map_err(|_| ShareError::NotANumber)?
        };
        match value {
            0 => Err(ShareError::Zero),
            v if v > u32::from(max) => Err(ShareError::OverMax { max }),
            v => u8::try_from(v)
                .map(Share)
                .map_err(|_| ShareError::OverMax { max }),
        }
    }

    /// All of it: a return to the National Bank moves everything back.
    pub fn all() -> Share {
        Share(100)
    }

    pub fn percent(self) -> u8 {
        self.0
    }
}

/// The first day a new manager application may be filed after a transfer on `last`: the
/// same date a year later (29 February gives 28 February). `None` only past chrono's range.
pub fn next_application_on(last: NaiveDate) -> Option<NaiveDate> {
    last.checked_add_months(Months::new(12))
}

/// At most one new manager application a year from the last transfer between managers:
/// `Err(first allowed day)` while the year runs, `Ok` when there was no transfer or the
/// year has passed (on the anniversary itself the depositor may apply again).
pub fn may_apply(last_transfer: Option<NaiveDate>, today: NaiveDate) -> Result<(), NaiveDate> {
    let Some(last) = last_transfer else {
        return Ok(());
    };
    match next_application_on(last) {
        Some(allowed) if today < allowed => Err(allowed),
        Some(_) => Ok(()),
        // A date at the end of chrono's range: never reached, so never allowed.
        None => Err(NaiveDate::MAX),
    }
}

/// The kinds that move savings between managers (what the one-year rule and the
/// cancellation are about).
pub fn is_manager_kind(kind: ApplicationKind) -> bool {
    matches!(
        kind,
        ApplicationKind::ManagerChoice | ApplicationKind::ReturnToNationalBank
    )
}

/// A manager application the fund has but has not executed yet may be cancelled: accepted
/// or under review.
pub fn is_cancellable(status: ApplicationStatus) -> bool {
    matches!(
        status,
        ApplicationStatus::Accepted | ApplicationStatus::UnderReview
    )
}

/// An application on its way: signed or being signed, or with the fund and not yet
/// decided. A second manager application is refused while one is pending.
pub fn is_pending(status: ApplicationStatus) -> bool {
    matches!(
        status,
        ApplicationStatus::AwaitingSignature
            | ApplicationStatus::Signed
            | ApplicationStatus::Accepted
            | ApplicationStatus::UnderReview
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn mandatory_shares_stop_at_fifty() {
        let m = Savings::Mandatory;
        assert_eq!(Share::parse("1", m).map(Share::percent), Ok(1));
        assert_eq!(Share::parse("50", m).map(Share::percent), Ok(50));
        assert_eq!(Share::parse(" 30 % ", m).map(Share::percent), Ok(30));
        assert_eq!(Share::parse("030", m).map(Share::percent), Ok(30));
        assert_eq!(Share::parse("51", m), Err(ShareError::OverMax { max: 50 }));
        assert_eq!(Share::parse("100", m), Err(ShareError::OverMax { max: 50 }));
        assert_eq!(
            Share::parse("99999999999999999999", m),
            Err(ShareError::OverMax { max: 50 })
        );
        assert_eq!(Share::parse("0", m), Err(ShareError::Zero));
        assert_eq!(Share::parse("000", m), Err(ShareError::Zero));
    }

    #[test]
    fn voluntary_shares_go_up_to_all() {
        let v = Savings::Voluntary;
        assert_eq!(Share::parse("100%", v).map(Share::percent), Ok(100));
        assert_eq!(Share::parse("51", v).map(Share::percent), Ok(51));
        assert_eq!(
            Share::parse("101", v),
            Err(ShareError::OverMax { max: 100 })
        );
    }

    #[test]
    fn only_whole_percent_numbers_are_shares() {
        let m = Savings::Mandatory;
        assert_eq!(Share::parse("12.5", m), Err(ShareError::NotWhole));
        assert_eq!(Share::parse("12,5", m), Err(ShareError::NotWhole));
        assert_eq!(Share::parse("-5", m), Err(ShareError::NotANumber));
        assert_eq!(Share::parse("половина", m), Err(ShareError::NotANumber));
        assert_eq!(Share::parse("%", m), Err(ShareError::NotANumber));
        assert_eq!(Share::parse("", m), Err(ShareError::NotANumber));
        assert_eq!(Share::parse("1.", m), Err(ShareError::NotANumber));
        assert_eq!(Share::parse("5 0", m), Err(ShareError::NotANumber));
    }

    #[test]
    fn one_year_from_the_last_transfer_boundary_included() {
        let last = Some(date(2025, 3, 2));
        assert_eq!(may_apply(last, date(2026, 3, 1)), Err(date(2026, 3, 2)));
        assert_eq!(may_apply(last, date(2026, 3, 2)), Ok(()));
        assert_eq!(may_apply(last, date(2026, 3, 3)), Ok(()));
        assert_eq!(may_apply(last, date(2025, 3, 2)), Err(date(2026, 3, 2)));
        assert_eq!(may_apply(None, date(2026, 3, 2)), Ok(()));
    }

    #[test]
    fn a_leap_day_transfer_waits_until_the_end_of_february() {
        let last = Some(date(2024, 2, 29));
        assert_eq!(may_apply(last, date(2025, 2, 27)), Err(date(2025, 2, 28)));
        assert_eq!(may_apply(last, date(2025, 2, 28)), Ok(()));
    }

    #[test]
    fn only_accepted_and_under_review_are_cancellable() {
        use ApplicationStatus::*;
        let cancellable: Vec<_> = ApplicationStatus::ALL
            .into_iter()
            .filter(|s| is_cancellable(*s))
            .collect();
        assert_eq!(cancellable, [Accepted, UnderReview]);
        // Whatever is cancellable may actually become cancelled.
        assert!(cancellable.iter().all(|s| s.can_become(Cancelled)));
        assert!(!is_cancellable(Executed));
        assert!(!is_cancellable(Draft));
    }

    #[test]
    fn manager_kinds_and_codes() {
        assert!(is_manager_kind(ApplicationKind::ManagerChoice));
        assert!(is_manager_kind(ApplicationKind::ReturnToNationalBank));
        assert!(!is_manager_kind(ApplicationKind::ManagerCancellation));
        assert!(!is_manager_kind(ApplicationKind::VoluntaryTransfer));
        for s in Savings::ALL {
            assert_eq!(Savings::from_code(s.code()), Some(s));
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_stays_in_limits(text in "\\PC{0,12}") {
            for savings in Savings::ALL {
                if let Ok(share) = Share::parse(&text, savings) {
                    prop_assert!((1..=savings.max_share()).contains(&share.percent()));
                }
            }
        }
    }
}
