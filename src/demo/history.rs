//! Account histories of the demo people: monthly contributions, yearly investment income,
//! disability payouts. A pure function of the person and `today`: what happened before a date
//! never depends on how far the history runs, so seeding later only adds newer months.

use chrono::{Datelike, NaiveDate};

use super::rng::SplitMix64;
use super::roster::{EMPLOYERS, HAZARDOUS_EMPLOYERS, Spec};
use super::{DemoAccount, DemoOperation};
use crate::domain::Money;
use crate::store::accounts::{AccountKind, DEFAULT_MANAGER, OperationKind};

/// The year the roster's ages and salaries are set for.
pub(crate) const REFERENCE_YEAR: i32 = 2026;
/// The funded pension system (and the fund's records) start here.
const FIRST_YEAR: i32 = 1998;
/// ОППВ exist since 2014; ОПВР since 2024 for people born 1975 or later.
const OCCUPATIONAL_SINCE: i32 = 2014;
const OPVR_SINCE: i32 = 2024;
const OPVR_BORN_FROM: i32 = 1975;
/// Seeds the yearly returns of the fund (the same market for everybody).
const MARKET_SEED: u64 = 0x5EED_F00D_2026_0002;
/// Yearly salary growth used to walk salaries back in time, in percent.
const SALARY_GROWTH_PERCENT: i64 = 8;

/// A month as a single number (`year * 12 + month - 1`), so ranges and differences are plain
/// integer arithmetic.
pub(crate) type Month = i32;

pub(crate) fn month_of(date: NaiveDate) -> Month {
    date.year() * 12 + date.month0() as i32
}

fn month(year: i32, month: u32) -> Month {
    year * 12 + month as i32 - 1
}

fn year_of(m: Month) -> i32 {
    m.div_euclid(12)
}

fn day_in(m: Month, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year_of(m), m.rem_euclid(12) as u32 + 1, day)
}

fn period_text(m: Month) -> String {
    format!("{:04}-{:02}", year_of(m), m.rem_euclid(12) + 1)
}

/// What a person's working life looks like to the fund; drawn once per person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Career {
    first: Month,
    last: Option<Month>,
    salary_reference_kzt: i64,
    employers: Vec<&'static str>,
    voluntary: Option<(Month, i64)>,
    occupational: Option<(Month, &'static str)>,
    payouts_from: Option<Month>,
    opvr: bool,
    seed: u64,
}

impl Career {
    pub(crate) fn draw(spec: &Spec, rng: &mut SplitMix64, seed: u64) -> Career {
        let last = spec.career_ends.map(|(y, m)| month(y, m));
        let end_year = spec.career_ends.map_or(REFERENCE_YEAR, |(y, _)| y);
        let drawn_years = rng.range(3, 25) as i32;
        let years = spec
            .years
            .unwrap_or(drawn_years)
            .min(end_year - (spec.born.0 + 18))
            .min(end_year - FIRST_YEAR)
            .max(1);
        let first = month(end_year - years, rng.range(1, 12) as u32);
        // The span the employers share and the voluntary/occupational starts fall within.
        let span = last.unwrap_or(month(REFERENCE_YEAR, 12)) - first;

        let salary_reference_kzt = rng.range(180, 900) * 1000;
        let employer_count = rng.range(1, 3) as usize;
        let mut employers = Vec::with_capacity(employer_count);
        while employers.len() < employer_count {
            let candidate = EMPLOYERS[rng.range(0, EMPLOYERS.len() as i64 - 1) as usize];
            if !employers.contains(&candidate) {
                employers.push(candidate);
            }
        }
        let voluntary_start = first + rng.range(0, i64::from(span / 2)) as i32;
        let voluntary_monthly = rng.range(5, 50) * 1000 * 100;
        let occupational_start =
            (first + rng.range(0, i64::from(span / 3)) as i32).max(month(OCCUPATIONAL_SINCE, 1));
        let hazardous =
            HAZARDOUS_EMPLOYERS[rng.range(0, HAZARDOUS_EMPLOYERS.len() as i64 - 1) as usize];

        Career {
            first,
            last,
            salary_reference_kzt,
            employers,
            voluntary: spec
                .voluntary
                .then_some((voluntary_start, voluntary_monthly)),
            occupational: spec.occupational.then_some((occupational_start, hazardous)),
            payouts_from: spec.payouts_from.map(|(y, m)| month(y, m)),
            opvr: spec.born.0 >= OPVR_BORN_FROM && last.is_none_or(|l| l >= month(OPVR_SINCE, 1)),
            seed,
        }
    }

    fn works_in(&self, period: Month) -> bool {
        period >= self.first && self.last.is_none_or(|l| period <= l)
    }

    /// Monthly salary in tenge in `year`: the reference salary walked back (or forward) by the
    /// yearly growth, rounded to a thousand.
    fn salary_kzt(&self, year: i32) -> i64 {
        let mut salary = self.salary_reference_kzt;
        for _ in year..REFERENCE_YEAR {
            salary = salary * 100 / (100 + SALARY_GROWTH_PERCENT);
        }
        for _ in REFERENCE_YEAR..year {
            salary = salary * (100 + SALARY_GROWTH_PERCENT) / 100;
        }
        (salary / 1000 * 1000).max(15_000)
    }

    fn employer_at(&self, period: Month) -> &'static str {
        if let Some((from, hazardous)) = self.occupational
            && period >= from
        {
            return hazardous;
        }
        let span = self.last.unwrap_or(month(REFERENCE_YEAR, 12)) - self.first + 1;
        let n = self.employers.len().max(1) as i32;
        let index = ((period - self.first).max(0) * n / span.max(1)).min(n - 1);
        self.employers.get(index as usize).copied().unwrap_or("")
    }

    /// The contribution (tiyn, payer) to `kind` for `period`, if one is due.
    fn contribution(
        &self,
        kind: AccountKind,
        period: Month,
        rng: &mut SplitMix64,
    ) -> Option<(i64, &'static str)> {
        // Drawn every month, due or not, so later draws never shift.
        let skipped_voluntary = rng.chance(20);
        if !self.works_in(period) {
            return None;
        }
        let salary_tiyn = self.salary_kzt(year_of(period)) * 100;
        let payer = self.employer_at(period);
        let amount = match kind {
            AccountKind::Opv => salary_tiyn / 10,
            AccountKind::Opvr if period >= month(OPVR_SINCE, 1) => {
                salary_tiyn * opvr_rate_bp(year_of(period)) / 10_000
            }
            AccountKind::Oppv => match self.occupational {
                Some((from, _)) if period >= from => salary_tiyn * 5 / 100,
                _ => return None,
            },
            AccountKind::Dpv => match self.voluntary {
                Some((from, monthly)) if period >= from && !skipped_voluntary => monthly,
                _ => return None,
            },
            AccountKind::Opvr => return None,
        };
        Some((amount, payer))
    }

    /// The month each account opens, or `None` when the person has no such account.
    fn opening(&self, kind: AccountKind) -> Option<Month> {
        match kind {
            AccountKind::Opv => Some(self.first),
            AccountKind::Oppv => self.occupational.map(|(from, _)| from),
            AccountKind::Opvr => self.opvr.then_some(self.first.max(month(OPVR_SINCE, 1))),
            AccountKind::Dpv => self.voluntary.map(|(from, _)| from),
        }
    }
}

/// The employer's ОПВР rate in basis points: 1.5% (2024) rising by one point a year to 5%.
fn opvr_rate_bp(year: i32) -> i64 {
    match year {
        ..=2023 => 0,
        2024 => 150,
        2025 => 250,
        2026 => 350,
        2027 => 450,
        _ => 500,
    }
}

/// The fund's yearly return in basis points, the same for everybody: a few percent, some
/// years negative.
fn yearly_return_bp(year: i32) -> i64 {
    SplitMix64::derive(MARKET_SEED, year as u64).range(-200, 900)
}

/// All accounts of a person with their operations up to and including `today`.
pub(crate) fn accounts(career: &Career, today: NaiveDate) -> Vec<DemoAccount> {
    AccountKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let opened = career.opening(kind)?;
            let opened_on = day_in(opened, 1)?;
            (opened_on <= today).then(|| DemoAccount {
                kind,
                opened_on,
                manager: DEFAULT_MANAGER,
                operations: walk(career, kind, opened, today),
            })
        })
        .collect()
}

/// Walks the account month by month: a disability payout on the 3rd, the contribution for
/// the previous month between the 5th and the 25th, investment income on 31 December.
fn walk(career: &Career, kind: AccountKind, opened: Month, today: NaiveDate) -> Vec<DemoOperation> {
    let mut rng = SplitMix64::derive(career.seed, kind as u64 + 1);
    let payouts_from = career.payouts_from.filter(|_| kind == AccountKind::Opv);
    let mut ops = Vec::new();
    let mut balance: i64 = 0;
    let mut payout: Option<i64> = None;
    let mut payouts_made = 0u32;

    for m in opened..=month_of(today) {
        let contribution_day = rng.range(5, 25) as u32;
        let period = m - 1;
        let contribution = if period >= opened {
            career.contribution(kind, period, &mut rng)
        } else {
            None
        };

        if let Some(from) = payouts_from
            && m >= from
            && balance > 0
        {
            let Some(date) = day_in(m, 3).filter(|d| *d <= today) else {
                break;
            };
            // First year: savings × 6.5% / 12; then 5% more each year; until savings run out.
            let monthly = payout.get_or_insert(balance * 650 / 10_000 / 12);
            if payouts_made > 0 && payouts_made.is_multiple_of(12) {
                *monthly = *monthly * 105 / 100;
            }
            let paid = (*monthly).min(balance);
            balance -= paid;
            payouts_made += 1;
            ops.push(DemoOperation {
                op_date: date,
                kind: OperationKind::Payout,
                amount: Money::from_tiyn(-paid),
                payer: None,
                period: None,
            });
        }

        if let Some((amount, payer)) = contribution {
            let Some(date) = day_in(m, contribution_day).filter(|d| *d <= today) else {
                break;
            };
            balance += amount;
            ops.push(DemoOperation {
                op_date: date,
                kind: OperationKind::Contribution,
                amount: Money::from_tiyn(amount),
                payer: Some(payer.to_owned()),
                period: Some(period_text(period)),
            });
        }

        if m.rem_euclid(12) == 11 {
            let Some(date) = day_in(m, 31).filter(|d| *d <= today) else {
                break;
            };
            let income = balance * yearly_return_bp(year_of(m)) / 10_000;
            if income != 0 {
                balance += income;
                ops.push(DemoOperation {
                    op_date: date,
                    kind: OperationKind::InvestmentIncome,
                    amount: Money::from_tiyn(income),
                    payer: None,
                    period: None,
                });
            }
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_round_trip() {
        let m = month(2024, 1);
        assert_eq!(year_of(m), 2024);
        assert_eq!(period_text(m), "2024-01");
        assert_eq!(period_text(m - 1), "2023-12");
        assert_eq!(day_in(m, 31), NaiveDate::from_ymd_opt(2024, 1, 31));
        assert_eq!(
            month_of(NaiveDate::from_ymd_opt(2024, 1, 31).unwrap_or_default()),
            m
        );
    }

    #[test]
    fn opvr_rates_follow_the_law() {
        assert_eq!(opvr_rate_bp(2023), 0);
        assert_eq!(opvr_rate_bp(2024), 150);
        assert_eq!(opvr_rate_bp(2026), 350);
        assert_eq!(opvr_rate_bp(2031), 500);
    }

    #[test]
    fn yearly_returns_are_a_few_percent_and_sometimes_negative() {
        let returns: Vec<i64> = (1998..2026).map(yearly_return_bp).collect();
        assert!(returns.iter().all(|r| (-200..=900).contains(r)));
        assert!(returns.iter().any(|r| *r < 0), "{returns:?}");
        assert!(returns.iter().any(|r| *r > 0), "{returns:?}");
    }
}
