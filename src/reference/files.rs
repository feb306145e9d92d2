//! The shipped data files as written (JSON, `serde` with unknown fields refused), and their
//! conversion into the typed reference data with every check: a file that parses but says
//! something implausible is refused at start-up, not discovered by a user.

use chrono::NaiveDate;
use serde::Deserialize;

use super::timeline::{self, Ends, Validity};
use super::{
    AgeRule, ContributionRates, Manager, ManagerNames, ReferenceError, Scenario, ScenarioKind,
    YearlyParameters,
};
use crate::domain::Money;
use crate::domain::forecast::{Assumptions, RetirementAge};

pub(crate) const PARAMETERS: &str = "parameters.json";
pub(crate) const RETIREMENT_AGES: &str = "retirement_ages.json";
pub(crate) const CONTRIBUTION_RATES: &str = "contribution_rates.json";
pub(crate) const MANAGERS: &str = "managers.json";
pub(crate) const FORECAST_SCENARIOS: &str = "forecast_scenarios.json";

/// Amounts of yearly parameters are whole tenge below ten million.
const MAX_PARAMETER_TENGE: i64 = 10_000_000;
/// Retirement ages between 50 and 70 years.
const AGE_MONTHS_RANGE: std::ops::RangeInclusive<u32> = 600..=840;
/// Scenario percentages: returns and salary growth -10..30, inflation 0..30.
const SCENARIO_RATE_RANGE: std::ops::RangeInclusive<f64> = -10.0..=30.0;
const INFLATION_RANGE: std::ops::RangeInclusive<f64> = 0.0..=30.0;

fn parse<'a, T: Deserialize<'a>>(file: &'static str, text: &'a str) -> Result<T, ReferenceError> {
    serde_json::from_str(text).map_err(|e| ReferenceError::Parse {
        file,
        message: e.to_string(),
    })
}

fn invalid(file: &'static str, problem: impl Into<String>) -> ReferenceError {
    ReferenceError::Invalid {
        file,
        problem: problem.into(),
    }
}

fn check_timeline(
    file: &'static str,
    what: &str,
    ranges: &[Validity],
    ends: Ends,
) -> Result<(), ReferenceError> {
    timeline::check(ranges, ends).map_err(|problem| invalid(file, format!("{what}: {problem}")))
}

// ---------------------------------------------------------------------------------------------
// parameters.json

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParametersFile {
    #[allow(dead_code)]
    about: String,
    periods: Vec<ParametersPeriod>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParametersPeriod {
    valid_from: NaiveDate,
    valid_to: NaiveDate,
    minimum_wage: i64,
    mrp: i64,
    minimum_pension: i64,
    subsistence_minimum: i64,
    payout_floor: i64,
    source: String,
}

pub(crate) fn parameters(text: &str) -> Result<Vec<YearlyParameters>, ReferenceError> {
    let file = PARAMETERS;
    let raw: ParametersFile = parse(file, text)?;
    let ranges: Vec<Validity> = raw
        .periods
        .iter()
        .map(|p| Validity {
            valid_from: Some(p.valid_from),
            valid_to: Some(p.valid_to),
        })
        .collect();
    let closed = Ends {
        open_start: false,
        open_end: false,
    };
    check_timeline(file, "periods", &ranges, closed)?;
    let mut out = Vec::with_capacity(raw.periods.len());
    for p in raw.periods {
        let period = p.valid_from.format("%Y-%m-%d");
        let amounts = [
            p.minimum_wage,
            p.mrp,
            p.minimum_pension,
            p.subsistence_minimum,
            p.payout_floor,
        ];
        if amounts
            .iter()
            .any(|a| !(1..MAX_PARAMETER_TENGE).contains(a))
        {
            return Err(invalid(
                file,
                format!("period from {period}: amounts must be whole tenge, 1 to 9 999 999"),
            ));
        }
        if p.mrp >= p.minimum_wage {
            return Err(invalid(
                file,
                format!("period from {period}: the МРП must be below the minimum wage"),
            ));
        }
        // The floor is 70% of the subsistence minimum, give or take the rounding to a tenge.
        if (p.payout_floor * 10 - p.subsistence_minimum * 7).abs() > 10 {
            return Err(invalid(
                file,
                format!(
                    "period from {period}: the payout floor must be 70% of the subsistence minimum"
                ),
            ));
        }
        if p.source.trim().is_empty() {
            return Err(invalid(file, format!("period from {period}: no source")));
        }
        let tenge = |amount: i64| Money::from_tiyn(amount * 100);
        out.push(YearlyParameters {
            valid_from: p.valid_from,
            valid_to: p.valid_to,
            minimum_wage: tenge(p.minimum_wage),
            mrp: tenge(p.mrp),
            minimum_pension: tenge(p.minimum_pension),
            subsistence_minimum: tenge(p.subsistence_minimum),
            payout_floor: tenge(p.payout_floor),
            source: p.source,
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// retirement_ages.json

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RetirementFile {
    #[allow(dead_code)]
    about: String,
    #[allow(dead_code)]
    source: String,
    male: Vec<RawAgeRule>,
    female: Vec<RawAgeRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgeRule {
    valid_from: Option<NaiveDate>,
    valid_to: Option<NaiveDate>,
    age_months: u32,
}

/// Rules for men and for women.
pub(crate) fn retirement_ages(text: &str) -> Result<(Vec<AgeRule>, Vec<AgeRule>), ReferenceError> {
    let file = RETIREMENT_AGES;
    let raw: RetirementFile = parse(file, text)?;
    let convert = |what: &str, rules: Vec<RawAgeRule>| -> Result<Vec<AgeRule>, ReferenceError> {
        let ranges: Vec<Validity> = rules
            .iter()
            .map(|r| Validity {
                valid_from: r.valid_from,
                valid_to: r.valid_to,
            })
            .collect();
        let open = Ends {
            open_start: true,
            open_end: true,
        };
        check_timeline(file, what, &ranges, open)?;
        if let Some(bad) = rules
            .iter()
            .find(|r| !AGE_MONTHS_RANGE.contains(&r.age_months))
        {
            return Err(invalid(
                file,
                format!(
                    "{what}: age_months {} is not 600..=840 (50 to 70 years)",
                    bad.age_months
                ),
            ));
        }
        if rules.windows(2).any(|w| w[1].age_months < w[0].age_months) {
            return Err(invalid(
                file,
                format!("{what}: ages must not decrease over time"),
            ));
        }
        Ok(rules
            .into_iter()
            .zip(ranges)
            .map(|(r, validity)| AgeRule {
                validity,
                age: RetirementAge::from_months(r.age_months),
            })
            .collect())
    };
    Ok((convert("male", raw.male)?, convert("female", raw.female)?))
}

// ---------------------------------------------------------------------------------------------
// contribution_rates.json

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RatesFile {
    #[allow(dead_code)]
    about: String,
    #[allow(dead_code)]
    source: String,
    opvr_born_from: NaiveDate,
    periods: Vec<RawRates>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRates {
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    opv_percent: f64,
    opvr_percent: f64,
}

/// A percentage with at most two decimals as basis points (1.5 -> 150); `None` otherwise.
fn basis_points(percent: f64) -> Option<u32> {
    let bp = (percent * 100.0).round();
    let exact = (percent * 100.0 - bp).abs() < 1e-6;
    (exact && (0.0..=10_000.0).contains(&bp)).then_some(bp as u32)
}

/// The rate periods and the first birth date ОПВР applies to.
pub(crate) fn contribution_rates(
    text: &str,
) -> Result<(Vec<ContributionRates>, NaiveDate), ReferenceError> {
    let file = CONTRIBUTION_RATES;
    let raw: RatesFile = parse(file, text)?;
    let ranges: Vec<Validity> = raw
        .periods
        .iter()
        .map(|p| Validity {
            valid_from: Some(p.valid_from),
            valid_to: p.valid_to,
        })
        .collect();
    let ends = Ends {
        open_start: false,
        open_end: true,
    };
    check_timeline(file, "periods", &ranges, ends)?;
    let mut out = Vec::with_capacity(raw.periods.len());
    for p in raw.periods {
        let period = p.valid_from.format("%Y-%m-%d");
        let opv = basis_points(p.opv_percent).filter(|bp| (1..=2_000).contains(bp));
        let opvr = basis_points(p.opvr_percent).filter(|bp| *bp <= 1_000);
        let (Some(opv_bp), Some(opvr_bp)) = (opv, opvr) else {
            return Err(invalid(
                file,
                format!(
                    "period from {period}: opv_percent must be above 0 and at most 20, \
                     opvr_percent 0 to 10, each with at most two decimals"
                ),
            ));
        };
        out.push(ContributionRates {
            valid_from: p.valid_from,
            valid_to: p.valid_to,
            opv_bp,
            opvr_bp,
        });
    }
    Ok((out, raw.opvr_born_from))
}

// ---------------------------------------------------------------------------------------------
// managers.json

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManagersFile {
    #[allow(dead_code)]
    about: String,
    #[allow(dead_code)]
    source: String,
    managers: Vec<RawManager>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManager {
    code: String,
    default: bool,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    name: ManagerNames,
}

fn is_code(code: &str) -> bool {
    (1..=32).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

pub(crate) fn managers(text: &str) -> Result<Vec<Manager>, ReferenceError> {
    let file = MANAGERS;
    let raw: ManagersFile = parse(file, text)?;
    let mut out: Vec<Manager> = Vec::with_capacity(raw.managers.len());
    for m in raw.managers {
        if !is_code(&m.code) {
            return Err(invalid(
                file,
                "a code must be 1 to 32 characters of a-z, 0-9 and _",
            ));
        }
        if out.iter().any(|other| other.code == m.code) {
            return Err(invalid(file, format!("code {} appears twice", m.code)));
        }
        if [&m.name.kk, &m.name.ru, &m.name.en]
            .iter()
            .any(|name| name.trim().is_empty())
        {
            return Err(invalid(file, format!("{}: a name is empty", m.code)));
        }
        if m.valid_to.is_some_and(|to| to < m.valid_from) {
            return Err(invalid(
                file,
                format!("{}: valid_to is before valid_from", m.code),
            ));
        }
        out.push(Manager {
            code: m.code,
            is_default: m.default,
            validity: Validity {
                valid_from: Some(m.valid_from),
                valid_to: m.valid_to,
            },
            names: m.name,
        });
    }
    if out.iter().filter(|m| m.is_default).count() != 1 {
        return Err(invalid(file, "exactly one manager must be the default"));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// forecast_scenarios.json

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenariosFile {
    #[allow(dead_code)]
    about: String,
    #[allow(dead_code)]
    status: String,
    valid_from: NaiveDate,
    scenarios: Vec<RawScenario>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    code: ScenarioKind,
    nominal_return_percent: f64,
    salary_growth_percent: f64,
    inflation_percent: f64,
    status: String,
    note: String,
}

/// The three scenarios in the order pessimistic, base, optimistic, and their date.
pub(crate) fn scenarios(text: &str) -> Result<(Vec<Scenario>, NaiveDate), ReferenceError> {
    let file = FORECAST_SCENARIOS;
    let raw: ScenariosFile = parse(file, text)?;
    let mut out = Vec::with_capacity(ScenarioKind::ALL.len());
    for kind in ScenarioKind::ALL {
        let mut matching = raw.scenarios.iter().filter(|s| s.code == kind);
        let (Some(s), None) = (matching.next(), matching.next()) else {
            return Err(invalid(
                file,
                format!("scenario {} must appear exactly once", kind.code()),
            ));
        };
        let rates_sane = SCENARIO_RATE_RANGE.contains(&s.nominal_return_percent)
            && SCENARIO_RATE_RANGE.contains(&s.salary_growth_percent)
            && INFLATION_RANGE.contains(&s.inflation_percent);
        if !rates_sane {
            return Err(invalid(
                file,
                format!(
                    "{}: returns and salary growth must be -10..30 percent, inflation 0..30",
                    kind.code()
                ),
            ));
        }
        if s.status.trim().is_empty() {
            return Err(invalid(file, format!("{}: no status", kind.code())));
        }
        out.push(Scenario {
            kind,
            assumptions: Assumptions {
                nominal_return: s.nominal_return_percent / 100.0,
                salary_growth: s.salary_growth_percent / 100.0,
                inflation: s.inflation_percent / 100.0,
            },
            status: s.status.clone(),
            note: s.note.clone(),
        });
    }
    if raw.scenarios.len() != ScenarioKind::ALL.len() {
        return Err(invalid(
            file,
            "exactly three scenarios: pessimistic, base, optimistic",
        ));
    }
    let [pessimistic, base, optimistic] = match out.as_slice() {
        [p, b, o] => [p.assumptions, b.assumptions, o.assumptions],
        _ => return Err(invalid(file, "exactly three scenarios")),
    };
    if pessimistic.nominal_return != pessimistic.inflation {
        return Err(invalid(
            file,
            "pessimistic: zero real return, so the nominal return must equal inflation",
        ));
    }
    let real = |a: Assumptions| (1.0 + a.nominal_return) / (1.0 + a.inflation);
    if !(real(pessimistic) <= real(base) && real(base) <= real(optimistic)) {
        return Err(invalid(
            file,
            "real returns must not fall from pessimistic to base to optimistic",
        ));
    }
    Ok((out, raw.valid_from))
}
