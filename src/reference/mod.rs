//! Reference data: the yearly parameters (minimum wage, МРП, minimum pension, subsistence
//! minimum, payout floor), retirement ages, ОПВ/ОПВР rates, trust managers and the forecast's
//! scenario assumptions. They change by law or by decision, so they live in dated data files
//! (`data/reference/*.json`), not in code.
//!
//! The files are embedded in the binary and parsed and checked once at start-up
//! ([`Reference::load`]): dated entries must form timelines without gaps or overlaps, and
//! every figure must be plausible. Lookups never fail on a loaded `Reference` beyond saying
//! "no entry for this date".

mod banks;
mod files;
mod forecast;
pub mod payment_details;
mod timeline;

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::forecast::{Assumptions, RatePeriod, RetirementAge};
use crate::domain::{Lang, Money, Sex};

pub use banks::Bank;
pub use forecast::{Forecast, ForecastAnswers, ScenarioForecast};
pub use timeline::Validity;

/// Why the reference data cannot be used. Names the file; never quotes personal data (the
/// files hold none).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReferenceError {
    #[error("reference data {file} does not parse: {message}")]
    Parse { file: &'static str, message: String },
    #[error("reference data {file} is not valid: {problem}")]
    Invalid { file: &'static str, problem: String },
}

/// The texts of the five files, so tests can check altered copies.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    pub parameters: &'a str,
    pub retirement_ages: &'a str,
    pub contribution_rates: &'a str,
    pub managers: &'a str,
    pub forecast_scenarios: &'a str,
    pub banks: &'a str,
}

impl Sources<'static> {
    /// The files shipped in `data/reference/`, embedded at build time.
    pub const EMBEDDED: Sources<'static> = Sources {
        parameters: include_str!("../../data/reference/parameters.json"),
        retirement_ages: include_str!("../../data/reference/retirement_ages.json"),
        contribution_rates: include_str!("../../data/reference/contribution_rates.json"),
        managers: include_str!("../../data/reference/managers.json"),
        forecast_scenarios: include_str!("../../data/reference/forecast_scenarios.json"),
        banks: include_str!("../../data/reference/banks.json"),
    };
}

/// The yearly parameters in force from `valid_from` to `valid_to` (inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearlyParameters {
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub minimum_wage: Money,
    /// Monthly calculation index (МРП / АЕК).
    pub mrp: Money,
    pub minimum_pension: Money,
    pub subsistence_minimum: Money,
    /// The floor of a monthly payout from the fund (70% of the subsistence minimum).
    pub payout_floor: Money,
    /// Where the figures come from.
    pub source: String,
}

/// ОПВ and ОПВР rates in force from `valid_from` to `valid_to` (`None`: until further notice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContributionRates {
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// ОПВ in basis points of income (1 000 = 10%).
    pub opv_bp: u32,
    /// The employer's ОПВР in basis points of income (350 = 3.5%).
    pub opvr_bp: u32,
}

/// A trust manager of pension savings: the National Bank (the default) or a private
/// investment portfolio manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manager {
    /// The stored code (`nbrk`, `halyk_global_markets`, ...).
    pub code: String,
    /// The National Bank, where savings stay unless the depositor chooses otherwise.
    pub is_default: bool,
    /// When the bot offers this manager.
    pub validity: Validity,
    pub names: ManagerNames,
}

impl Manager {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Kk => &self.names.kk,
            Lang::Ru => &self.names.ru,
            Lang::En => &self.names.en,
        }
    }
}

/// A manager's name in the three languages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagerNames {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

/// The forecast's three scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioKind {
    /// Zero real return.
    Pessimistic,
    Base,
    Optimistic,
}

impl ScenarioKind {
    pub const ALL: [ScenarioKind; 3] = [
        ScenarioKind::Pessimistic,
        ScenarioKind::Base,
        ScenarioKind::Optimistic,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ScenarioKind::Pessimistic => "pessimistic",
            ScenarioKind::Base => "base",
            ScenarioKind::Optimistic => "optimistic",
        }
    }

    /// `forecast-scenario-pessimistic`, ...
    pub fn message_key(self) -> &'static str {
        match self {
            ScenarioKind::Pessimistic => "forecast-scenario-pessimistic",
            ScenarioKind::Base => "forecast-scenario-base",
            ScenarioKind::Optimistic => "forecast-scenario-optimistic",
        }
    }
}

/// One scenario with its stated assumptions.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub kind: ScenarioKind,
    pub assumptions: Assumptions,
    /// "assumption, verify before relying on it" in the shipped file.
    pub status: String,
    /// What the assumptions mean, in words (English, for maintainers).
    pub note: String,
}

/// The retirement age for people who reach it within `validity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AgeRule {
    pub validity: Validity,
    pub age: RetirementAge,
}

/// All reference data, parsed and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    parameters: Vec<YearlyParameters>,
    latest_parameters: YearlyParameters,
    retirement_male: Vec<AgeRule>,
    retirement_female: Vec<AgeRule>,
    rates: Vec<ContributionRates>,
    opvr_born_from: NaiveDate,
    managers: Vec<Manager>,
    default_manager: Manager,
    scenarios: Vec<Scenario>,
    scenarios_valid_from: NaiveDate,
    banks: Vec<Bank>,
}

impl Reference {
    /// Parses and checks the embedded files.
    pub fn load() -> Result<Reference, ReferenceError> {
        Reference::from_sources(&Sources::EMBEDDED)
    }

    /// Parses and checks the given file texts.
    pub fn from_sources(sources: &Sources<'_>) -> Result<Reference, ReferenceError> {
        let parameters = files::parameters(sources.parameters)?;
        let latest_parameters =
            parameters
                .last()
                .cloned()
                .ok_or_else(|| ReferenceError::Invalid {
                    file: files::PARAMETERS,
                    problem: "no periods".to_owned(),
                })?;
        let (retirement_male, retirement_female) = files::retirement_ages(sources.retirement_ages)?;
        let (rates, opvr_born_from) = files::contribution_rates(sources.contribution_rates)?;
        let managers = files::managers(sources.managers)?;
        let default_manager = managers
            .iter()
            .find(|m| m.is_default)
            .cloned()
            .ok_or_else(|| ReferenceError::Invalid {
                file: files::MANAGERS,
                problem: "no default manager".to_owned(),
            })?;
        let (scenarios, scenarios_valid_from) = files::scenarios(sources.forecast_scenarios)?;
        let banks = banks::banks(sources.banks)?;
        Ok(Reference {
            parameters,
            latest_parameters,
            retirement_male,
            retirement_female,
            rates,
            opvr_born_from,
            managers,
            default_manager,
            scenarios,
            scenarios_valid_from,
            banks,
        })
    }

    /// The yearly parameters in force on `date`; `None` outside every period (before the
    /// first, or after the last one the files know).
    pub fn parameters_on(&self, date: NaiveDate) -> Option<&YearlyParameters> {
        self.parameters
            .iter()
            .find(|p| p.valid_from <= date && date <= p.valid_to)
    }

    /// The latest period the files know: what to use, said as such, when a date is past it.
    pub fn latest_parameters(&self) -> &YearlyParameters {
        &self.latest_parameters
    }

    /// Every period, oldest first.
    pub fn parameters(&self) -> &[YearlyParameters] {
        &self.parameters
    }

    /// The retirement age of a person of this sex born on `birth`: the age of the rule whose
    /// validity contains the day the person reaches that age (domain.md: by the year a woman
    /// reaches the age).
    pub fn retirement_age(&self, sex: Sex, birth: NaiveDate) -> RetirementAge {
        let rules = match sex {
            Sex::Male => &self.retirement_male,
            Sex::Female => &self.retirement_female,
        };
        let reached = rules.iter().find(|rule| {
            rule.age
                .date_for(birth)
                .is_some_and(|date| rule.validity.contains(date))
        });
        // The rules form one timeline with ages that never fall, so one always matches (a
        // test checks it for every birth date of a century); the last rule is the fallback.
        reached
            .or(rules.last())
            .map(|rule| rule.age)
            .unwrap_or(RetirementAge::from_years(63))
    }

    /// The day a person of this sex born on `birth` reaches the retirement age.
    pub fn retirement_date(&self, sex: Sex, birth: NaiveDate) -> Option<NaiveDate> {
        self.retirement_age(sex, birth).date_for(birth)
    }

    /// The ОПВ/ОПВР rates in force on `date`; `None` before the first period.
    pub fn contribution_rates_on(&self, date: NaiveDate) -> Option<&ContributionRates> {
        self.rates.iter().find(|r| {
            Validity {
                valid_from: Some(r.valid_from),
                valid_to: r.valid_to,
            }
            .contains(date)
        })
    }

    /// Whether the employer pays ОПВР for a person born on `birth` (born 1975 or later).
    pub fn opvr_applies(&self, birth: NaiveDate) -> bool {
        birth >= self.opvr_born_from
    }

    /// The rate periods as the forecast takes them.
    pub fn rate_periods(&self) -> Vec<RatePeriod> {
        self.rates
            .iter()
            .map(|r| RatePeriod {
                from: r.valid_from,
                opv_bp: r.opv_bp,
                opvr_bp: r.opvr_bp,
            })
            .collect()
    }

    /// The manager with this code, whether or not it is offered today (to show old records).
    pub fn manager(&self, code: &str) -> Option<&Manager> {
        self.managers.iter().find(|m| m.code == code)
    }

    /// The National Bank.
    pub fn default_manager(&self) -> &Manager {
        &self.default_manager
    }

    /// Managers offered on `date`, the default first, then in the files' order.
    pub fn managers_on(&self, date: NaiveDate) -> Vec<&Manager> {
        let mut offered: Vec<&Manager> = self
            .managers
            .iter()
            .filter(|m| m.validity.contains(date))
            .collect();
        offered.sort_by_key(|m| !m.is_default);
        offered
    }

    /// The private portfolio managers offered on `date` (without the National Bank).
    pub fn portfolio_managers_on(&self, date: NaiveDate) -> Vec<&Manager> {
        self.managers_on(date)
            .into_iter()
            .filter(|m| !m.is_default)
            .collect()
    }

    /// The banks of `banks.json`, in the order the bot lists them.
    pub fn banks(&self) -> &[Bank] {
        &self.banks
    }

    /// The bank an IBAN belongs to (its characters 5-7); `None` for a code no listed bank has.
    pub fn bank_of(&self, iban: &crate::domain::Iban) -> Option<&Bank> {
        banks::bank_of(&self.banks, iban)
    }

    /// The bank with this IBAN code.
    pub fn bank_by_code(&self, iban_code: &str) -> Option<&Bank> {
        self.banks.iter().find(|b| b.iban_code == iban_code)
    }

    /// The three scenarios: pessimistic, base, optimistic.
    pub fn scenarios(&self) -> &[Scenario] {
        &self.scenarios
    }

    pub fn scenario(&self, kind: ScenarioKind) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.kind == kind)
    }

    /// The date the scenario assumptions were set.
    pub fn scenarios_valid_from(&self) -> NaiveDate {
        self.scenarios_valid_from
    }
}

/// The embedded reference data, parsed once per process. Call it at start-up so a broken
/// file stops the process before it serves anybody.
pub fn embedded() -> Result<&'static Reference, ReferenceError> {
    static LOADED: OnceLock<Result<Reference, ReferenceError>> = OnceLock::new();
    LOADED
        .get_or_init(Reference::load)
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests;
