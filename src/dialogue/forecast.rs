//! The pension forecast (the memo's service 6), open to everyone. Signed in, sex, birth date
//! and the mandatory balance come from the cabinet; signed out, the bot asks for them. The
//! arithmetic lives in `domain::forecast` and the assumptions in the reference data.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::engine::{StepContext, StepOutcome, StepResult, hint, home};
use super::start::{date_problem, unexpected};
use super::{Action, Button, Input, Reply, State};
use crate::domain::dates::{format_day, parse_day};
use crate::domain::forecast::{PayoutDuration, RetirementAge, VoluntaryRate, VoluntaryRateError};
use crate::domain::{Lang, Money, MoneyError, Sex};
use crate::i18n::Msg;
use crate::reference::{ForecastAnswers, ScenarioKind};
use crate::store::accounts::AccountKind;

/// Amounts a person may type; anything larger is a typo, not a salary.
const MAX_SALARY_TENGE: i64 = 100_000_000;
const MAX_BALANCE_TENGE: i64 = 10_000_000_000;
/// Planned retirement ages accepted, in years.
const AGES: std::ops::RangeInclusive<u32> = 50..=75;

/// What is known so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub sex: Sex,
    pub birth_date: NaiveDate,
    /// Months; `None` for the legal age.
    pub retirement_months: Option<u32>,
    pub balance_tiyn: i64,
    pub salary_tiyn: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "at", content = "v", rename_all = "snake_case")]
pub enum ForecastState {
    Sex,
    BirthDate {
        sex: Sex,
    },
    RetirementAge {
        draft: Draft,
        legal_months: u32,
    },
    /// `own` is the signed-in depositor's mandatory balance, offered as a button.
    Balance {
        draft: Draft,
        own: Option<i64>,
    },
    Salary {
        draft: Draft,
    },
    Voluntary {
        draft: Draft,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "f", content = "v")]
pub enum ForecastAction {
    Sex(Sex),
    LegalAge,
    OwnBalance,
    /// Basis points: 0 = no voluntary contributions.
    Voluntary(u32),
}

fn state(s: ForecastState) -> State {
    State::Forecast(s)
}

fn button(key: &str, action: ForecastAction) -> Button {
    Button::new(key, Action::Forecast(action))
}

fn back() -> Vec<Button> {
    vec![Button::new("button-back", Action::Back)]
}

/// The calculator's first question; signed in, the cabinet answers the first ones.
pub async fn start(ctx: &StepContext<'_>) -> StepResult {
    let Some(login) = ctx.login else {
        return Ok(go(
            ctx,
            ForecastState::Sex,
            Some(Msg::new("forecast-intro")),
        ));
    };
    let profile = ctx.auth.profile(login.depositor_id).await?;
    let own: i64 = profile
        .accounts
        .iter()
        .filter(|a| matches!(a.kind, AccountKind::Opv | AccountKind::Oppv))
        .map(|a| a.balance.tiyn())
        .sum();
    let draft = Draft {
        sex: profile.sex,
        birth_date: profile.birth_date,
        retirement_months: None,
        balance_tiyn: own,
        salary_tiyn: 0,
    };
    Ok(to_retirement_age(
        ctx,
        draft,
        Some(Msg::new("forecast-intro-signed-in")),
    ))
}

fn go(ctx: &StepContext<'_>, s: ForecastState, notice: Option<Msg>) -> StepOutcome {
    let reply = prompt_for(ctx.lang, &s);
    let reply = match notice {
        Some(msg) => reply.prepend(msg),
        None => reply,
    };
    StepOutcome::go(state(s), ctx, vec![reply])
}

fn to_retirement_age(ctx: &StepContext<'_>, draft: Draft, notice: Option<Msg>) -> StepOutcome {
    let legal_months = ctx
        .reference
        .retirement_age(draft.sex, draft.birth_date)
        .months();
    go(
        ctx,
        ForecastState::RetirementAge {
            draft,
            legal_months,
        },
        notice,
    )
}

pub fn prompt(ctx: &StepContext<'_>, s: &ForecastState) -> Reply {
    prompt_for(ctx.lang, s)
}

fn prompt_for(lang: Lang, s: &ForecastState) -> Reply {
    match s {
        ForecastState::Sex => Reply::key("forecast-ask-sex")
            .row(vec![
                button("forecast-sex-male", ForecastAction::Sex(Sex::Male)),
                button("forecast-sex-female", ForecastAction::Sex(Sex::Female)),
            ])
            .row(back()),
        ForecastState::BirthDate { .. } => Reply::key("forecast-ask-birth-date").row(back()),
        ForecastState::RetirementAge { legal_months, .. } => {
            let age = RetirementAge::from_months(*legal_months);
            Reply::key("forecast-ask-age")
                .row(vec![Button::with_label(
                    Msg::new("forecast-legal-age")
                        .number("years", i64::from(age.whole_years()))
                        .number("months", i64::from(age.extra_months())),
                    Action::Forecast(ForecastAction::LegalAge),
                )])
                .row(back())
        }
        ForecastState::Balance { own, .. } => {
            let mut reply = Reply::key("forecast-ask-balance");
            if let Some(own) = own {
                reply = reply.row(vec![Button::with_label(
                    Msg::new("forecast-own-balance").money("amount", Money::from_tiyn(*own)),
                    Action::Forecast(ForecastAction::OwnBalance),
                )]);
            }
            reply.row(back())
        }
        ForecastState::Salary { .. } => Reply::key("forecast-ask-salary").row(back()),
        ForecastState::Voluntary { .. } => {
            let _ = lang;
            Reply::key("forecast-ask-voluntary")
                .row(vec![
                    button("forecast-voluntary-none", ForecastAction::Voluntary(0)),
                    Button::with_label(
                        Msg::new("forecast-voluntary-percent").number("percent", 2),
                        Action::Forecast(ForecastAction::Voluntary(200)),
                    ),
                    Button::with_label(
                        Msg::new("forecast-voluntary-percent").number("percent", 5),
                        Action::Forecast(ForecastAction::Voluntary(500)),
                    ),
                ])
                .row(back())
        }
    }
}

pub async fn step(ctx: &StepContext<'_>, s: &ForecastState, input: Input) -> StepResult {
    let current = state(s.clone());
    let today = ctx.now.date_naive();
    Ok(match (s, input) {
        (ForecastState::Sex, Input::Action(Action::Forecast(ForecastAction::Sex(sex)))) => {
            go(ctx, ForecastState::BirthDate { sex }, None)
        }
        (ForecastState::BirthDate { sex }, Input::Text(text)) => match parse_day(&text) {
            Err(e) => hint(ctx, &current, date_problem(e)),
            Ok(birth) if birth > today => hint(ctx, &current, Msg::new("forecast-birth-in-future")),
            Ok(birth) if today.years_since(birth).unwrap_or(0) < 14 => {
                hint(ctx, &current, Msg::new("forecast-too-young"))
            }
            Ok(birth) => to_retirement_age(
                ctx,
                Draft {
                    sex: *sex,
                    birth_date: birth,
                    retirement_months: None,
                    balance_tiyn: 0,
                    salary_tiyn: 0,
                },
                None,
            ),
        },
        (ForecastState::RetirementAge { draft, .. }, input) => {
            let months = match input {
                Input::Action(Action::Forecast(ForecastAction::LegalAge)) => None,
                Input::Text(text) => match text.trim().parse::<u32>() {
                    Ok(years) if AGES.contains(&years) => Some(years * 12),
                    _ => {
                        return Ok(hint(
                            ctx,
                            &current,
                            Msg::new("forecast-age-invalid")
                                .number("min", i64::from(*AGES.start()))
                                .number("max", i64::from(*AGES.end())),
                        ));
                    }
                },
                other => return Ok(hint(ctx, &current, unexpected(&other))),
            };
            let draft = Draft {
                retirement_months: months,
                ..draft.clone()
            };
            let own = ctx.login.is_some().then_some(draft.balance_tiyn);
            go(ctx, ForecastState::Balance { draft, own }, None)
        }
        (ForecastState::Balance { draft, own }, input) => {
            let balance = match input {
                Input::Action(Action::Forecast(ForecastAction::OwnBalance)) if own.is_some() => {
                    own.unwrap_or(0)
                }
                Input::Text(text) => match amount(&text, MAX_BALANCE_TENGE) {
                    Ok(tiyn) => tiyn,
                    Err(msg) => return Ok(hint(ctx, &current, msg)),
                },
                other => return Ok(hint(ctx, &current, unexpected(&other))),
            };
            let draft = Draft {
                balance_tiyn: balance,
                ..draft.clone()
            };
            go(ctx, ForecastState::Salary { draft }, None)
        }
        (ForecastState::Salary { draft }, Input::Text(text)) => {
            match amount(&text, MAX_SALARY_TENGE) {
                Ok(tiyn) => {
                    let draft = Draft {
                        salary_tiyn: tiyn,
                        ..draft.clone()
                    };
                    go(ctx, ForecastState::Voluntary { draft }, None)
                }
                Err(msg) => hint(ctx, &current, msg),
            }
        }
        (ForecastState::Voluntary { draft }, input) => {
            let rate = match input {
                Input::Action(Action::Forecast(ForecastAction::Voluntary(bp))) => {
                    VoluntaryRate::from_basis_points(bp)
                }
                Input::Text(text) => match VoluntaryRate::parse(&text) {
                    Ok(rate) => Some(rate),
                    Err(VoluntaryRateError::NotANumber) => {
                        return Ok(hint(
                            ctx,
                            &current,
                            Msg::new("forecast-voluntary-not-a-number"),
                        ));
                    }
                    Err(VoluntaryRateError::OutOfRange) => {
                        return Ok(hint(
                            ctx,
                            &current,
                            Msg::new("forecast-voluntary-out-of-range"),
                        ));
                    }
                    Err(VoluntaryRateError::TooManyDecimals) => {
                        return Ok(hint(ctx, &current, Msg::new("forecast-voluntary-decimals")));
                    }
                },
                other => return Ok(hint(ctx, &current, unexpected(&other))),
            };
            match rate {
                Some(rate) => result(ctx, draft, rate),
                None => hint(ctx, &current, Msg::new("hint-stale-button")),
            }
        }
        (_, other) => hint(ctx, &current, unexpected(&other)),
    })
}

/// Where Back goes from each question.
pub fn back_from(ctx: &StepContext<'_>, s: &ForecastState) -> StepOutcome {
    match s {
        ForecastState::Sex => home(ctx, None),
        ForecastState::BirthDate { .. } => go(ctx, ForecastState::Sex, None),
        ForecastState::RetirementAge { draft, .. } => {
            if ctx.login.is_some() {
                home(ctx, None)
            } else {
                go(ctx, ForecastState::BirthDate { sex: draft.sex }, None)
            }
        }
        ForecastState::Balance { draft, .. } => to_retirement_age(ctx, draft.clone(), None),
        ForecastState::Salary { draft } => {
            let own = ctx.login.is_some().then_some(draft.balance_tiyn);
            go(
                ctx,
                ForecastState::Balance {
                    draft: draft.clone(),
                    own,
                },
                None,
            )
        }
        ForecastState::Voluntary { draft } => go(
            ctx,
            ForecastState::Salary {
                draft: draft.clone(),
            },
            None,
        ),
    }
}

/// An amount in tenge as typed; its reason when it is not one.
fn amount(text: &str, max_tenge: i64) -> Result<i64, Msg> {
    match Money::parse(text) {
        Ok(money) if money.tiyn() > max_tenge.saturating_mul(100) => {
            Err(Msg::new("amount-too-large").money("max", Money::from_tiyn(max_tenge * 100)))
        }
        Ok(money) => Ok(money.tiyn()),
        Err(MoneyError::Negative) => Err(Msg::new("amount-negative")),
        Err(MoneyError::Overflow) => {
            Err(Msg::new("amount-too-large").money("max", Money::from_tiyn(max_tenge * 100)))
        }
        Err(MoneyError::TooManyDecimals) => Err(Msg::new("amount-decimals")),
        Err(_) => Err(Msg::new("amount-not-a-number")),
    }
}

fn percent(rate: f64, lang: Lang) -> String {
    let text = format!("{:.1}", rate * 100.0);
    let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
    match lang {
        Lang::En => text,
        Lang::Kk | Lang::Ru => text.replace('.', ","),
    }
}

fn result(ctx: &StepContext<'_>, draft: &Draft, voluntary: VoluntaryRate) -> StepOutcome {
    let answers = ForecastAnswers {
        sex: draft.sex,
        birth_date: draft.birth_date,
        retirement_age: draft.retirement_months.map(RetirementAge::from_months),
        balance: Money::from_tiyn(draft.balance_tiyn),
        monthly_salary: Money::from_tiyn(draft.salary_tiyn),
        voluntary,
        include_opvr: true,
    };
    let today = ctx.now.date_naive();
    let forecast = match ctx.reference.forecast(&answers, today) {
        Ok(forecast) => forecast,
        Err(_) => {
            return home(ctx, Some(Msg::new("forecast-cannot-compute")));
        }
    };
    let lines: Vec<Msg> = forecast
        .scenarios
        .iter()
        .map(|s| {
            let p = &s.projection;
            let a = &s.scenario.assumptions;
            let (years, months) = p.lasts.years_and_months();
            Msg::new("forecast-scenario")
                .msg("name", Msg::new(scenario_key(s.scenario.kind)))
                .text("return", percent(a.nominal_return, ctx.lang))
                .text("growth", percent(a.salary_growth, ctx.lang))
                .text("inflation", percent(a.inflation, ctx.lang))
                .money("savings", p.savings)
                .money("today", p.savings_today)
                .money("payout", p.first_payout)
                .text("floor", if p.floor_applies { "yes" } else { "no" })
                .number("years", i64::from(years))
                .number("months", i64::from(months))
                .text(
                    "outlasts",
                    if matches!(p.lasts, PayoutDuration::OutlastsHorizon { .. }) {
                        "yes"
                    } else {
                        "no"
                    },
                )
        })
        .collect();
    let age = forecast.retirement_age;
    let summary = Msg::new("forecast-result")
        .text("date", format_day(forecast.retirement_date))
        .number("years", i64::from(age.whole_years()))
        .number("months", i64::from(age.extra_months()))
        .money("floor", forecast.payout_floor_today)
        .list("scenarios", lines);
    let outcome = home(ctx, None);
    let mut replies = vec![Reply::new(summary).append(Msg::new("forecast-disclaimer"))];
    replies.extend(outcome.replies);
    StepOutcome { replies, ..outcome }
}

fn scenario_key(kind: ScenarioKind) -> &'static str {
    kind.message_key()
}
