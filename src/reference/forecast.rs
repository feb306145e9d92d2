//! The pension forecast with the reference data filled in: the legal retirement age, the
//! payout floor in force, the ОПВ/ОПВР rates and the three scenarios. The arithmetic itself
//! is `domain::forecast`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Reference, Scenario};
use crate::domain::forecast::{
    self, ForecastError, ForecastInput, Projection, Retirement, RetirementAge, VoluntaryRate,
};
use crate::domain::{Money, Sex};

/// What the depositor tells the forecast (prefilled from the IIN and the balance when signed
/// in). Serialisable, so a dialogue can keep it in its state while asking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastAnswers {
    pub sex: Sex,
    pub birth_date: NaiveDate,
    /// The planned retirement age; `None` for the legal age of this sex and birth date.
    pub retirement_age: Option<RetirementAge>,
    /// The current balance of mandatory savings.
    pub balance: Money,
    /// Gross monthly salary.
    pub monthly_salary: Money,
    pub voluntary: VoluntaryRate,
    /// Count the employer's ОПВР too; it is only added for people born 1975 or later.
    pub include_opvr: bool,
}

/// The forecast: what was assumed and one projection per scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// The legal retirement age for this sex and birth date.
    pub legal_retirement_age: RetirementAge,
    /// The age used: the planned one, or the legal one.
    pub retirement_age: RetirementAge,
    pub retirement_date: NaiveDate,
    /// Whether the employer's ОПВР was added (asked for, and born 1975 or later).
    pub opvr_counted: bool,
    /// The payout floor today, and the first day of the parameters it comes from.
    pub payout_floor_today: Money,
    pub parameters_valid_from: NaiveDate,
    /// True when today is past every period the files know, so the latest one was used.
    pub parameters_outdated: bool,
    /// The date the scenario assumptions were set.
    pub scenarios_valid_from: NaiveDate,
    /// Pessimistic, base, optimistic.
    pub scenarios: Vec<ScenarioForecast>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioForecast {
    pub scenario: Scenario,
    pub projection: Projection,
}

impl Reference {
    /// The forecast for `answers` as of `today`, under each scenario.
    pub fn forecast(
        &self,
        answers: &ForecastAnswers,
        today: NaiveDate,
    ) -> Result<Forecast, ForecastError> {
        let legal_retirement_age = self.retirement_age(answers.sex, answers.birth_date);
        let retirement_age = answers.retirement_age.unwrap_or(legal_retirement_age);
        let retirement_date = retirement_age
            .date_for(answers.birth_date)
            .ok_or(ForecastError::RetirementAgeOutOfRange)?;
        let (parameters, parameters_outdated) = match self.parameters_on(today) {
            Some(p) => (p, false),
            None => (
                self.latest_parameters(),
                today > self.latest_parameters().valid_to,
            ),
        };
        let opvr_counted = answers.include_opvr && self.opvr_applies(answers.birth_date);
        let input = ForecastInput {
            birth_date: answers.birth_date,
            retirement: Retirement::Age(retirement_age),
            today,
            balance: answers.balance,
            monthly_salary: answers.monthly_salary,
            voluntary: answers.voluntary,
            employer_opvr: opvr_counted,
            rates: self.rate_periods(),
            payout_floor: parameters.payout_floor,
        };
        let scenarios = self
            .scenarios()
            .iter()
            .map(|scenario| {
                forecast::project(&input, &scenario.assumptions).map(|projection| {
                    ScenarioForecast {
                        scenario: scenario.clone(),
                        projection,
                    }
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Forecast {
            legal_retirement_age,
            retirement_age,
            retirement_date,
            opvr_counted,
            payout_floor_today: parameters.payout_floor,
            parameters_valid_from: parameters.valid_from,
            parameters_outdated,
            scenarios_valid_from: self.scenarios_valid_from(),
            scenarios,
        })
    }
}
