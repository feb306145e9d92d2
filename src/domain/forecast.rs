//! The pension forecast (memo service 6): how much a depositor may have saved at retirement
//! and what the fund would pay from it. Pure arithmetic, no I/O; the assumptions and yearly
//! figures come from the caller (`reference` holds them as data).
//!
//! The model, step by step:
//! 1. Accumulation: one step per whole month from `today` until the retirement date. Each
//!    month the balance earns `(1 + nominal_return)^(1/12) - 1` (so a year without
//!    contributions earns exactly the annual return), then the month's contributions arrive:
//!    ОПВ (10%) of the salary, the employer's ОПВР when asked for, and the voluntary share.
//!    The salary grows by `salary_growth` on every anniversary of `today`; the ОПВ/ОПВР rates
//!    are those in force on the month's date.
//! 2. Payout (domain.md): the first year's monthly payout is savings × 6.5% / 12, never below
//!    the payout floor; every later year it grows 5%, and is again never below that year's
//!    floor. Payouts run until the savings are spent, while the rest keeps earning the same
//!    monthly return; a payout takes what is left when that is less than the month's amount.
//! 3. The payout floor is given in today's money and assumed to follow inflation, as it
//!    follows the subsistence minimum; "today's money" divides by `(1 + inflation)^(years)`.
//!
//! Rounding rule: amounts are whole tiyn. Every computed amount (a month's interest on the
//! balance, each contribution, a raised salary, a payout, a floor) is rounded to the nearest
//! tiyn, halves away from zero (`f64::round`), at the moment it is computed; rates are applied
//! in `f64`. Money stays exact as long as it is below 2^53 tiyn (90 trillion tenge), far above
//! the largest input allowed.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::money::Money;

/// Of the savings a year, paid monthly in the first year of payouts.
pub const FIRST_YEAR_PAYOUT_RATE: f64 = 0.065;
/// Yearly growth of the monthly payout.
pub const PAYOUT_GROWTH: f64 = 0.05;
/// Payouts are followed for at most this many months (50 years); savings that last longer
/// are reported as outlasting it.
pub const PAYOUT_HORIZON_MONTHS: u32 = 600;
/// Planned retirement ages accepted by the forecast, in months.
pub const MIN_RETIREMENT_AGE_MONTHS: u32 = 45 * 12;
pub const MAX_RETIREMENT_AGE_MONTHS: u32 = 80 * 12;
/// The largest balance or salary the forecast takes: one trillion tenge, in tiyn.
pub const MAX_INPUT_TIYN: i64 = 100_000_000_000_000;
/// Annual rates (return, growth, inflation) must lie within this range: -50% .. +100%.
pub const MIN_ANNUAL_RATE: f64 = -0.5;
pub const MAX_ANNUAL_RATE: f64 = 1.0;

const MONTHS_PER_YEAR: u32 = 12;
const BASIS_POINTS: f64 = 10_000.0;

/// Why a forecast cannot be made from these inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ForecastError {
    #[error("the birth date is after today")]
    BornInFuture,
    #[error("the planned retirement age must be between 45 and 80 years")]
    RetirementAgeOutOfRange,
    #[error("the balance and the salary cannot be negative")]
    NegativeAmount,
    #[error("the balance or the salary is too large for a forecast")]
    AmountTooLarge,
    #[error("an assumed annual rate is outside -50% .. 100%")]
    AssumptionOutOfRange,
    #[error("no contribution rates were given")]
    NoContributionRates,
    #[error("the projected amounts are too large to compute")]
    ResultTooLarge,
}

/// Why a text is not a voluntary contribution rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum VoluntaryRateError {
    #[error("the voluntary rate is not a number")]
    NotANumber,
    #[error("the voluntary rate is a percentage above 0 and at most 100, or 0 for none")]
    OutOfRange,
    #[error("the voluntary rate has at most two digits after the decimal separator")]
    TooManyDecimals,
}

/// An age in whole months (61.5 years is 738 months). Serialised as the number of months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RetirementAge {
    months: u32,
}

impl RetirementAge {
    pub fn from_months(months: u32) -> RetirementAge {
        RetirementAge { months }
    }

    pub fn from_years(years: u32) -> RetirementAge {
        RetirementAge {
            months: years.saturating_mul(MONTHS_PER_YEAR),
        }
    }

    pub fn months(self) -> u32 {
        self.months
    }

    /// 61 for 61.5 years.
    pub fn whole_years(self) -> u32 {
        self.months / MONTHS_PER_YEAR
    }

    /// 6 for 61.5 years.
    pub fn extra_months(self) -> u32 {
        self.months % MONTHS_PER_YEAR
    }

    /// The day a person born on `birth` reaches this age (29 February births reach it on
    /// 28 February in common years). `None` past chrono's calendar.
    pub fn date_for(self, birth: NaiveDate) -> Option<NaiveDate> {
        birth.checked_add_months(Months::new(self.months))
    }
}

/// Voluntary contributions as a share of the salary, in basis points (1% = 100): zero for
/// none, otherwise above 0 and at most 100%. Serialised as the basis points (checked when
/// read back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct VoluntaryRate {
    basis_points: u32,
}

impl VoluntaryRate {
    pub const NONE: VoluntaryRate = VoluntaryRate { basis_points: 0 };

    /// `None` above 10 000 (100%).
    pub fn from_basis_points(basis_points: u32) -> Option<VoluntaryRate> {
        (basis_points <= 10_000).then_some(VoluntaryRate { basis_points })
    }

    pub fn basis_points(self) -> u32 {
        self.basis_points
    }

    pub fn is_none(self) -> bool {
        self.basis_points == 0
    }

    /// What users type: `5`, `2,5`, `2.5`, `5 %`, `0` (none). At most two decimals.
    pub fn parse(input: &str) -> Result<VoluntaryRate, VoluntaryRateError> {
        let text = input.trim();
        match text.strip_prefix('-') {
            // A negative number is out of range; anything else stays not a number.
            Some(magnitude) => Err(match VoluntaryRate::parse_unsigned(magnitude) {
                Ok(_) => VoluntaryRateError::OutOfRange,
                Err(e) => e,
            }),
            None => VoluntaryRate::parse_unsigned(text),
        }
    }

    fn parse_unsigned(text: &str) -> Result<VoluntaryRate, VoluntaryRateError> {
        let text = text.trim();
        let text = text.strip_suffix('%').unwrap_or(text).trim_end();
        let (whole, fraction) = match text.split_once([',', '.']) {
            Some((w, f)) => (w, f),
            None => (text, ""),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) {
            return Err(VoluntaryRateError::NotANumber);
        }
        if text.contains([',', '.']) && fraction.is_empty() {
            return Err(VoluntaryRateError::NotANumber);
        }
        if fraction.len() > 2 {
            return Err(VoluntaryRateError::TooManyDecimals);
        }
        // More than three whole digits is above 100% whatever they are.
        if whole.trim_start_matches('0').len() > 3 {
            return Err(VoluntaryRateError::OutOfRange);
        }
        let whole: u32 = whole.parse().map_err(|_| VoluntaryRateError::NotANumber)?;
        let hundredths: u32 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<u32>().unwrap_or(0) * 10,
            _ => fraction.parse::<u32>().unwrap_or(0),
        };
        VoluntaryRate::from_basis_points(whole * 100 + hundredths)
            .ok_or(VoluntaryRateError::OutOfRange)
    }

    fn fraction(self) -> f64 {
        f64::from(self.basis_points) / BASIS_POINTS
    }
}

impl TryFrom<u32> for VoluntaryRate {
    type Error = VoluntaryRateError;

    fn try_from(basis_points: u32) -> Result<Self, Self::Error> {
        VoluntaryRate::from_basis_points(basis_points).ok_or(VoluntaryRateError::OutOfRange)
    }
}

impl From<VoluntaryRate> for u32 {
    fn from(rate: VoluntaryRate) -> u32 {
        rate.basis_points
    }
}

/// One scenario's assumptions, as annual fractions (0.08 is 8%).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assumptions {
    /// The nominal investment return a year.
    pub nominal_return: f64,
    /// How much the salary grows a year.
    pub salary_growth: f64,
    /// Inflation a year (for "today's money" and the payout floor).
    pub inflation: f64,
}

impl Assumptions {
    fn check(&self) -> Result<(), ForecastError> {
        let in_range = |rate: f64| (MIN_ANNUAL_RATE..=MAX_ANNUAL_RATE).contains(&rate);
        if in_range(self.nominal_return) && in_range(self.salary_growth) && in_range(self.inflation)
        {
            Ok(())
        } else {
            Err(ForecastError::AssumptionOutOfRange)
        }
    }
}

/// The contribution rates in force from `from` until the next period starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatePeriod {
    pub from: NaiveDate,
    /// ОПВ, in basis points of the salary (1 000 = 10%).
    pub opv_bp: u32,
    /// The employer's ОПВР, in basis points of the salary.
    pub opvr_bp: u32,
}

/// When the depositor plans to retire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retirement {
    Date(NaiveDate),
    Age(RetirementAge),
}

/// Everything a forecast needs besides one scenario's assumptions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastInput {
    pub birth_date: NaiveDate,
    pub retirement: Retirement,
    pub today: NaiveDate,
    /// The current balance of mandatory savings (ОПВ).
    pub balance: Money,
    /// Gross monthly salary today.
    pub monthly_salary: Money,
    pub voluntary: VoluntaryRate,
    /// Whether the employer's ОПВР is added to the savings (the caller decides whether it
    /// applies: people born 1975 or later).
    pub employer_opvr: bool,
    /// ОПВ and ОПВР rates by date; the order does not matter. Before the first period the
    /// first one applies.
    pub rates: Vec<RatePeriod>,
    /// The floor of a monthly payout today.
    pub payout_floor: Money,
}

/// How long the savings pay out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayoutDuration {
    /// The last payout is in month `months` (counting the first payout as month 1).
    RunsOut { months: u32 },
    /// Still not spent after [`PAYOUT_HORIZON_MONTHS`].
    OutlastsHorizon { months: u32 },
}

impl PayoutDuration {
    pub fn months(self) -> u32 {
        match self {
            PayoutDuration::RunsOut { months } | PayoutDuration::OutlastsHorizon { months } => {
                months
            }
        }
    }

    /// Whole years and the months left over: 14 months is (1, 2).
    pub fn years_and_months(self) -> (u32, u32) {
        let months = self.months();
        (months / MONTHS_PER_YEAR, months % MONTHS_PER_YEAR)
    }
}

/// One scenario's answer. Amounts are nominal unless they say `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Projection {
    pub retirement_date: NaiveDate,
    /// Monthly steps of accumulation; 0 when retirement is already reached.
    pub months_of_saving: u32,
    /// All contributions of the accumulation phase (without investment income).
    pub contributions: Money,
    /// Savings at retirement.
    pub savings: Money,
    pub savings_today: Money,
    /// The monthly payout in the first year.
    pub first_payout: Money,
    pub first_payout_today: Money,
    /// The payout floor at retirement (today's floor grown with inflation).
    pub payout_floor: Money,
    /// True when the floor, not 6.5% of the savings, sets the first payout.
    pub floor_applies: bool,
    /// Everything paid out until the savings run out (or until the horizon).
    pub total_paid: Money,
    pub lasts: PayoutDuration,
}

impl Projection {
    /// Retirement is already reached: the savings are what there is today.
    pub fn no_accumulation_phase(&self) -> bool {
        self.months_of_saving == 0
    }
}

/// The first year's monthly payout by the fund's rule: savings × 6.5% / 12 rounded to the
/// tiyn, but never below `floor`. (What is paid is capped by the savings themselves; see
/// [`Projection::first_payout`].)
pub fn first_year_payout(savings: Money, floor: Money) -> Money {
    let by_rate = round(savings.tiyn() as f64 * FIRST_YEAR_PAYOUT_RATE / 12.0);
    Money::from_tiyn(to_tiyn(by_rate).max(floor.tiyn()))
}

/// The forecast for one scenario.
pub fn project(
    input: &ForecastInput,
    assumptions: &Assumptions,
) -> Result<Projection, ForecastError> {
    assumptions.check()?;
    check_amounts(input)?;
    if input.birth_date > input.today {
        return Err(ForecastError::BornInFuture);
    }
    let retirement_date = retirement_date(input)?;
    let months = whole_months_between(input.today, retirement_date);
    let (savings, contributions) = accumulate(input, assumptions, months)?;

    let years = f64::from(months) / f64::from(MONTHS_PER_YEAR);
    let deflator = (1.0 + assumptions.inflation).powf(years);
    let floor_at_retirement = round(input.payout_floor.tiyn() as f64 * deflator);
    let payout = pay_out(savings, floor_at_retirement, assumptions);

    let first_payout = payout.first;
    let to_money = |tiyn: f64| -> Result<Money, ForecastError> {
        if tiyn.is_finite() && tiyn.abs() < i64::MAX as f64 {
            Ok(Money::from_tiyn(to_tiyn(tiyn)))
        } else {
            Err(ForecastError::ResultTooLarge)
        }
    };
    Ok(Projection {
        retirement_date,
        months_of_saving: months,
        contributions: to_money(contributions)?,
        savings: to_money(savings)?,
        savings_today: to_money(round(savings / deflator))?,
        first_payout: to_money(first_payout)?,
        first_payout_today: to_money(round(first_payout / deflator))?,
        payout_floor: to_money(floor_at_retirement)?,
        floor_applies: payout.floor_applies,
        total_paid: to_money(payout.total)?,
        lasts: payout.lasts,
    })
}

fn check_amounts(input: &ForecastInput) -> Result<(), ForecastError> {
    for amount in [input.balance, input.monthly_salary, input.payout_floor] {
        if amount.is_negative() {
            return Err(ForecastError::NegativeAmount);
        }
        if amount.tiyn() > MAX_INPUT_TIYN {
            return Err(ForecastError::AmountTooLarge);
        }
    }
    Ok(())
}

fn retirement_date(input: &ForecastInput) -> Result<NaiveDate, ForecastError> {
    let out_of_range = ForecastError::RetirementAgeOutOfRange;
    let date = match input.retirement {
        Retirement::Date(date) => date,
        Retirement::Age(age) => age.date_for(input.birth_date).ok_or(out_of_range)?,
    };
    let earliest = RetirementAge::from_months(MIN_RETIREMENT_AGE_MONTHS)
        .date_for(input.birth_date)
        .ok_or(out_of_range)?;
    let latest = RetirementAge::from_months(MAX_RETIREMENT_AGE_MONTHS)
        .date_for(input.birth_date)
        .ok_or(out_of_range)?;
    if (earliest..=latest).contains(&date) {
        Ok(date)
    } else {
        Err(out_of_range)
    }
}

/// The number of whole months from `from` to `to`: the largest `m` with `from + m months <= to`
/// (0 when `to` is not after `from`).
pub fn whole_months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    let guess = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    let guess = u32::try_from(guess).unwrap_or(0);
    match from.checked_add_months(Months::new(guess)) {
        Some(date) if date <= to => guess,
        _ => guess.saturating_sub(1),
    }
}

/// The monthly growth factor that compounds to `annual` over twelve months.
fn monthly_factor(annual: f64) -> f64 {
    (1.0 + annual).powf(1.0 / 12.0)
}

/// Savings at retirement and the sum of contributions, both in tiyn.
fn accumulate(
    input: &ForecastInput,
    assumptions: &Assumptions,
    months: u32,
) -> Result<(f64, f64), ForecastError> {
    let mut balance = input.balance.tiyn() as f64;
    let mut contributions = 0.0;
    if months == 0 {
        return Ok((balance, contributions));
    }
    let mut rates = input.rates.clone();
    rates.sort_by_key(|r| r.from);
    let first = *rates.first().ok_or(ForecastError::NoContributionRates)?;
    let factor = monthly_factor(assumptions.nominal_return);
    let salary_today = input.monthly_salary.tiyn() as f64;
    let voluntary = input.voluntary.fraction();
    let mut salary = salary_today;
    for month in 0..months {
        if month > 0 && month % MONTHS_PER_YEAR == 0 {
            let years = f64::from(month / MONTHS_PER_YEAR);
            salary = round(salary_today * (1.0 + assumptions.salary_growth).powf(years));
        }
        let date = input
            .today
            .checked_add_months(Months::new(month))
            .ok_or(ForecastError::RetirementAgeOutOfRange)?;
        let period = rates
            .iter()
            .rev()
            .find(|r| r.from <= date)
            .copied()
            .unwrap_or(first);
        let opv = round(salary * f64::from(period.opv_bp) / BASIS_POINTS);
        let opvr = if input.employer_opvr {
            round(salary * f64::from(period.opvr_bp) / BASIS_POINTS)
        } else {
            0.0
        };
        let own = round(salary * voluntary);
        let month_contributions = opv + opvr + own;
        balance = round(balance * factor) + month_contributions;
        contributions += month_contributions;
    }
    if balance.is_finite() && balance < i64::MAX as f64 {
        Ok((balance, contributions))
    } else {
        Err(ForecastError::ResultTooLarge)
    }
}

struct Payout {
    first: f64,
    floor_applies: bool,
    total: f64,
    lasts: PayoutDuration,
}

/// Pays `savings` out month by month by the fund's rule (see the module comment).
fn pay_out(savings: f64, floor: f64, assumptions: &Assumptions) -> Payout {
    if savings <= 0.0 {
        return Payout {
            first: 0.0,
            floor_applies: false,
            total: 0.0,
            lasts: PayoutDuration::RunsOut { months: 0 },
        };
    }
    let by_rate = round(savings * FIRST_YEAR_PAYOUT_RATE / 12.0);
    let floor_applies = by_rate < floor;
    let mut monthly = by_rate.max(floor);
    let factor = monthly_factor(assumptions.nominal_return);
    let mut balance = savings;
    let mut total = 0.0;
    let mut paid_months = 0;
    while balance > 0.0 && paid_months < PAYOUT_HORIZON_MONTHS {
        if paid_months > 0 && paid_months % MONTHS_PER_YEAR == 0 {
            let year = f64::from(paid_months / MONTHS_PER_YEAR);
            let floor_now = round(floor * (1.0 + assumptions.inflation).powf(year));
            monthly = round(monthly * (1.0 + PAYOUT_GROWTH)).max(floor_now);
        }
        let paid = monthly.min(balance);
        balance -= paid;
        total += paid;
        paid_months += 1;
        balance = round(balance * factor);
    }
    let lasts = if balance > 0.0 {
        PayoutDuration::OutlastsHorizon {
            months: paid_months,
        }
    } else {
        PayoutDuration::RunsOut {
            months: paid_months,
        }
    };
    Payout {
        first: monthly_first(by_rate, floor, savings),
        floor_applies,
        total,
        lasts,
    }
}

/// What the first month pays: the rule's amount, or the whole savings when they are less.
fn monthly_first(by_rate: f64, floor: f64, savings: f64) -> f64 {
    by_rate.max(floor).min(savings)
}

/// Nearest whole tiyn, halves away from zero.
fn round(tiyn: f64) -> f64 {
    tiyn.round()
}

/// A whole-tiyn `f64` as `i64` (saturating at the ends; callers check the range first).
fn to_tiyn(tiyn: f64) -> i64 {
    tiyn as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn whole_months_count_only_completed_months() {
        assert_eq!(whole_months_between(date(2026, 3, 2), date(2026, 3, 2)), 0);
        assert_eq!(whole_months_between(date(2026, 3, 2), date(2026, 4, 1)), 0);
        assert_eq!(whole_months_between(date(2026, 3, 2), date(2026, 4, 2)), 1);
        assert_eq!(whole_months_between(date(2026, 3, 2), date(2027, 3, 1)), 11);
        assert_eq!(
            whole_months_between(date(2026, 1, 31), date(2026, 2, 28)),
            1
        );
        assert_eq!(whole_months_between(date(2026, 3, 2), date(2025, 1, 1)), 0);
    }

    #[test]
    fn ages_split_into_years_and_months() {
        let age = RetirementAge::from_months(738);
        assert_eq!((age.whole_years(), age.extra_months()), (61, 6));
        assert_eq!(RetirementAge::from_years(63).months(), 756);
        assert_eq!(
            RetirementAge::from_years(63).date_for(date(1964, 2, 29)),
            Some(date(2027, 2, 28))
        );
    }

    #[test]
    fn voluntary_rates_parse_what_users_type() {
        let bp = |text: &str| VoluntaryRate::parse(text).map(VoluntaryRate::basis_points);
        assert_eq!(bp("5"), Ok(500));
        assert_eq!(bp(" 2,5 "), Ok(250));
        assert_eq!(bp("2.55"), Ok(255));
        assert_eq!(bp("5 %"), Ok(500));
        assert_eq!(bp("0"), Ok(0));
        assert_eq!(bp("100"), Ok(10_000));
        assert_eq!(bp("0100.00"), Ok(10_000));
        assert_eq!(bp("100.01"), Err(VoluntaryRateError::OutOfRange));
        assert_eq!(bp("250"), Err(VoluntaryRateError::OutOfRange));
        assert_eq!(bp("99999999999"), Err(VoluntaryRateError::OutOfRange));
        assert_eq!(bp("-5"), Err(VoluntaryRateError::OutOfRange));
        assert_eq!(bp("- 2,5 %"), Err(VoluntaryRateError::OutOfRange));
        assert_eq!(bp("--5"), Err(VoluntaryRateError::NotANumber));
        assert_eq!(bp("2.555"), Err(VoluntaryRateError::TooManyDecimals));
        for bad in ["", "%", "five", "5,", ",5", "1.2.3", "5%%", "+5", "-", "-x"] {
            assert_eq!(bp(bad), Err(VoluntaryRateError::NotANumber), "{bad}");
        }
        assert!(VoluntaryRate::NONE.is_none());
        assert_eq!(VoluntaryRate::from_basis_points(10_001), None);
    }

    proptest::proptest! {
        #[test]
        fn voluntary_parse_never_panics(text in "\\PC{0,16}") {
            let _ = VoluntaryRate::parse(&text);
        }

        #[test]
        fn voluntary_rates_round_trip(bp in 0u32..=10_000) {
            let text = format!("{},{:02}", bp / 100, bp % 100);
            let parsed = VoluntaryRate::parse(&text).map(VoluntaryRate::basis_points);
            proptest::prop_assert_eq!(parsed, Ok(bp));
        }
    }

    #[test]
    fn answers_serialise_for_the_dialogue_state() {
        let rate = VoluntaryRate::from_basis_points(250);
        let json = rate.and_then(|r| serde_json::to_string(&r).ok());
        assert_eq!(json.as_deref(), Some("250"));
        assert!(serde_json::from_str::<VoluntaryRate>("10001").is_err());
        let age: Result<RetirementAge, _> = serde_json::from_str("738");
        assert_eq!(age.ok(), Some(RetirementAge::from_months(738)));
    }

    #[test]
    fn the_first_year_payout_is_six_and_a_half_percent_over_twelve() {
        let ten_million = Money::from_tiyn(1_000_000_000);
        // 10 000 000 × 0.065 / 12 = 54 166.666… ₸ -> 54 166,67 ₸.
        assert_eq!(
            first_year_payout(ten_million, Money::from_tiyn(3_559_500)),
            Money::from_tiyn(5_416_667)
        );
        // 500 000 ₸ gives 2 708,33 ₸, below the 2026 floor of 35 595 ₸.
        assert_eq!(
            first_year_payout(Money::from_tiyn(50_000_000), Money::from_tiyn(3_559_500)),
            Money::from_tiyn(3_559_500)
        );
    }
}
