//! Who may file the payout applications of the cabinet (memo, service 2):
//! - from mandatory (ОПВ) and/or occupational (ОППВ) savings: disability of group 1 or 2
//!   established indefinitely, with savings on those accounts;
//! - from voluntary savings (ДПВ): 50 years or older on the day of filing, or a disability;
//!   with a voluntary balance.
//!
//! Pure rules over what the registry says; the dialogue checks them when an application is
//! started and again when it is confirmed (the registry may have changed in between).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Money;

/// Voluntary savings are paid out from this age (memo).
pub const VOLUNTARY_PAYOUT_AGE: u32 = 50;

/// A disability as the registry records it: group 1, 2 or 3, indefinite or for a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisabilityRecord {
    pub group: u8,
    pub indefinite: bool,
}

/// Which mandatory savings a disability payout is paid from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayoutSource {
    /// Mandatory pension contributions (ОПВ / МЗЖ).
    Opv,
    /// Mandatory occupational contributions (ОППВ / МКЗЖ).
    Oppv,
}

impl PayoutSource {
    pub fn code(self) -> &'static str {
        match self {
            PayoutSource::Opv => "opv",
            PayoutSource::Oppv => "oppv",
        }
    }
}

/// Why a disability payout cannot be filed in the bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisabilityRefusal {
    /// The registry has no disability for this depositor.
    NoDisability,
    /// Group 3: no payout from mandatory savings.
    GroupThree,
    /// Group 1 or 2, but established for a term.
    NotIndefinite,
    /// Eligible, but nothing on ОПВ or ОППВ to pay from.
    NoSavings,
}

/// The sources a disability payout may be paid from: those with a positive balance, ОПВ
/// first. `opv` and `oppv` are the balances (`None`: no such account).
pub fn disability_payout(
    disability: Option<DisabilityRecord>,
    opv: Option<Money>,
    oppv: Option<Money>,
) -> Result<Vec<PayoutSource>, DisabilityRefusal> {
    let record = disability.ok_or(DisabilityRefusal::NoDisability)?;
    if !matches!(record.group, 1 | 2) {
        return Err(DisabilityRefusal::GroupThree);
    }
    if !record.indefinite {
        return Err(DisabilityRefusal::NotIndefinite);
    }
    let positive = |m: Option<Money>| m.is_some_and(|m| m.tiyn() > 0);
    let sources: Vec<PayoutSource> = [(PayoutSource::Opv, opv), (PayoutSource::Oppv, oppv)]
        .into_iter()
        .filter(|(_, balance)| positive(*balance))
        .map(|(source, _)| source)
        .collect();
    if sources.is_empty() {
        return Err(DisabilityRefusal::NoSavings);
    }
    Ok(sources)
}

/// On what ground voluntary savings are paid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoluntaryBasis {
    /// 50 or older on the day of filing.
    Age,
    /// A disability of any group.
    Disability,
}

impl VoluntaryBasis {
    pub fn code(self) -> &'static str {
        match self {
            VoluntaryBasis::Age => "age",
            VoluntaryBasis::Disability => "disability",
        }
    }
}

/// Why a voluntary payout cannot be filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoluntaryRefusal {
    /// No voluntary account, or nothing on it.
    NoBalance,
    /// Under 50 and no disability; `eligible_on` is the 50th birthday.
    UnderAge { eligible_on: Option<NaiveDate> },
}

/// The grounds a voluntary payout may be claimed on (age first). The balance is checked
/// first: without voluntary savings there is nothing to pay, whatever the age.
pub fn voluntary_payout(
    birth: NaiveDate,
    today: NaiveDate,
    disability: Option<DisabilityRecord>,
    dpv: Option<Money>,
) -> Result<Vec<VoluntaryBasis>, VoluntaryRefusal> {
    if dpv.is_none_or(|m| m.tiyn() <= 0) {
        return Err(VoluntaryRefusal::NoBalance);
    }
    let mut grounds = Vec::new();
    if age_on(birth, today).is_some_and(|age| age >= VOLUNTARY_PAYOUT_AGE) {
        grounds.push(VoluntaryBasis::Age);
    }
    if disability.is_some() {
        grounds.push(VoluntaryBasis::Disability);
    }
    if grounds.is_empty() {
        return Err(VoluntaryRefusal::UnderAge {
            eligible_on: birthday(birth, VOLUNTARY_PAYOUT_AGE),
        });
    }
    Ok(grounds)
}

/// Full years of a person born on `birth` on `today`; `None` before birth. A person born on
/// 29 February turns a year older on 1 March in common years.
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> Option<u32> {
    if today < birth {
        return None;
    }
    let mut years = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// The day a person born on `birth` turns `years` (1 March for 29 February in common years).
pub fn birthday(birth: NaiveDate, years: u32) -> Option<NaiveDate> {
    let year = birth.year().checked_add(i32::try_from(years).ok()?)?;
    NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn tenge(t: i64) -> Option<Money> {
        Money::from_tenge(t)
    }

    const INDEFINITE_2: DisabilityRecord = DisabilityRecord {
        group: 2,
        indefinite: true,
    };

    #[test]
    fn disability_payout_needs_group_one_or_two_indefinitely() {
        assert_eq!(
            disability_payout(None, tenge(100), None),
            Err(DisabilityRefusal::NoDisability)
        );
        let three = DisabilityRecord {
            group: 3,
            indefinite: true,
        };
        assert_eq!(
            disability_payout(Some(three), tenge(100), None),
            Err(DisabilityRefusal::GroupThree)
        );
        let term = DisabilityRecord {
            group: 1,
            indefinite: false,
        };
        assert_eq!(
            disability_payout(Some(term), tenge(100), None),
            Err(DisabilityRefusal::NotIndefinite)
        );
        for group in [1, 2] {
            let record = DisabilityRecord {
                group,
                indefinite: true,
            };
            assert_eq!(
                disability_payout(Some(record), tenge(100), None),
                Ok(vec![PayoutSource::Opv])
            );
        }
    }

    #[test]
    fn disability_payout_offers_the_accounts_with_savings() {
        assert_eq!(
            disability_payout(Some(INDEFINITE_2), tenge(100), tenge(5)),
            Ok(vec![PayoutSource::Opv, PayoutSource::Oppv])
        );
        assert_eq!(
            disability_payout(Some(INDEFINITE_2), tenge(0), tenge(5)),
            Ok(vec![PayoutSource::Oppv])
        );
        assert_eq!(
            disability_payout(Some(INDEFINITE_2), tenge(0), None),
            Err(DisabilityRefusal::NoSavings)
        );
        assert_eq!(
            disability_payout(Some(INDEFINITE_2), None, None),
            Err(DisabilityRefusal::NoSavings)
        );
    }

    #[test]
    fn voluntary_payout_from_the_fiftieth_birthday() {
        let birth = date(1976, 3, 2);
        assert_eq!(
            voluntary_payout(birth, date(2026, 3, 1), None, tenge(10)),
            Err(VoluntaryRefusal::UnderAge {
                eligible_on: Some(date(2026, 3, 2))
            })
        );
        assert_eq!(
            voluntary_payout(birth, date(2026, 3, 2), None, tenge(10)),
            Ok(vec![VoluntaryBasis::Age])
        );
    }

    #[test]
    fn voluntary_payout_on_disability_at_any_age() {
        let young = date(1995, 4, 18);
        let term_three = DisabilityRecord {
            group: 3,
            indefinite: false,
        };
        assert_eq!(
            voluntary_payout(young, date(2026, 3, 2), Some(term_three), tenge(10)),
            Ok(vec![VoluntaryBasis::Disability])
        );
        assert_eq!(
            voluntary_payout(
                date(1960, 1, 1),
                date(2026, 3, 2),
                Some(term_three),
                tenge(10)
            ),
            Ok(vec![VoluntaryBasis::Age, VoluntaryBasis::Disability])
        );
    }

    #[test]
    fn voluntary_payout_needs_a_balance_whatever_the_age() {
        let old = date(1950, 1, 1);
        assert_eq!(
            voluntary_payout(old, date(2026, 3, 2), None, None),
            Err(VoluntaryRefusal::NoBalance)
        );
        assert_eq!(
            voluntary_payout(old, date(2026, 3, 2), Some(INDEFINITE_2), tenge(0)),
            Err(VoluntaryRefusal::NoBalance)
        );
    }

    #[test]
    fn ages_count_full_years_and_leap_days() {
        assert_eq!(age_on(date(2000, 2, 29), date(2026, 2, 28)), Some(25));
        assert_eq!(age_on(date(2000, 2, 29), date(2026, 3, 1)), Some(26));
        assert_eq!(age_on(date(2000, 2, 29), date(2028, 2, 29)), Some(28));
        assert_eq!(age_on(date(2026, 3, 3), date(2026, 3, 2)), None);
        assert_eq!(birthday(date(2000, 2, 29), 50), Some(date(2050, 3, 1)));
    }

    proptest! {
        /// The age changes exactly on the birthday the rule names.
        #[test]
        fn fifty_exactly_from_the_birthday(days in 0i64..40_000) {
            let birth = date(1930, 1, 1) + chrono::Duration::days(days);
            let Some(fiftieth) = birthday(birth, VOLUNTARY_PAYOUT_AGE) else {
                return Ok(());
            };
            prop_assert_eq!(age_on(birth, fiftieth), Some(50));
            let eve = fiftieth.pred_opt().unwrap_or(fiftieth);
            prop_assert_eq!(age_on(birth, eve), Some(49));
        }
    }
}
