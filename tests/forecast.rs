//! The pension forecast: hand-computed cases of `domain::forecast`, the same through
//! `Reference::forecast` with the shipped data, and properties over random inputs.
//!
//! Amounts are in tiyn. Where a case is too long to do by hand (a 30-year career), the figures
//! were computed by a separate implementation of the rules in `domain/forecast.rs`'s module
//! comment (a short Python script, same rounding rule) and are pinned here.

use chrono::NaiveDate;
use proptest::prelude::*;
use zeinet::domain::forecast::{
    self, Assumptions, ForecastError, ForecastInput, PayoutDuration, RatePeriod, Retirement,
    RetirementAge, VoluntaryRate,
};
use zeinet::domain::{Money, Sex};
use zeinet::reference::{ForecastAnswers, Reference, ScenarioKind};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn tenge(amount: i64) -> Money {
    Money::from_tiyn(amount * 100)
}

const TODAY: (i32, u32, u32) = (2026, 3, 2);

fn today() -> NaiveDate {
    date(TODAY.0, TODAY.1, TODAY.2)
}

/// ОПВ 10% throughout; ОПВР as domain.md has it.
fn rates() -> Vec<RatePeriod> {
    let period = |y, opvr_bp| RatePeriod {
        from: date(y, 1, 1),
        opv_bp: 1_000,
        opvr_bp,
    };
    vec![
        period(1998, 0),
        period(2024, 150),
        period(2025, 250),
        period(2026, 350),
        period(2027, 450),
        period(2028, 500),
    ]
}

const FLAT: Assumptions = Assumptions {
    nominal_return: 0.0,
    salary_growth: 0.0,
    inflation: 0.0,
};

/// A pensioner (63 in 2023): retirement is behind, nothing accumulates.
fn retired_with(balance: Money) -> ForecastInput {
    ForecastInput {
        birth_date: date(1960, 5, 10),
        retirement: Retirement::Age(RetirementAge::from_years(63)),
        today: today(),
        balance,
        monthly_salary: Money::ZERO,
        voluntary: VoluntaryRate::NONE,
        employer_opvr: false,
        rates: rates(),
        payout_floor: tenge(35_595),
    }
}

fn project(input: &ForecastInput, assumptions: &Assumptions) -> forecast::Projection {
    forecast::project(input, assumptions).expect("a forecast")
}

#[test]
fn ten_million_pays_54_166_67_a_month_for_eleven_years_nine_months() {
    let p = project(&retired_with(tenge(10_000_000)), &FLAT);
    assert!(p.no_accumulation_phase());
    assert_eq!(p.retirement_date, date(2023, 5, 10));
    assert_eq!(p.savings, tenge(10_000_000));
    assert_eq!(p.savings_today, tenge(10_000_000));
    // 10 000 000 × 6.5% / 12 = 54 166,666… -> 54 166,67 ₸.
    assert_eq!(p.first_payout, Money::from_tiyn(5_416_667));
    assert!(!p.floor_applies);
    // Monthly amounts by year (each the last × 1.05, to the tiyn) and what a year pays:
    //  1: 54 166,67 -> 650 000,04     7: 72 588,52 -> 871 062,24
    //  2: 56 875,00 -> 682 500,00     8: 76 217,95 -> 914 615,40
    //  3: 59 718,75 -> 716 625,00     9: 80 028,85 -> 960 346,20
    //  4: 62 704,69 -> 752 456,28    10: 84 030,29 -> 1 008 363,48
    //  5: 65 839,92 -> 790 079,04    11: 88 231,80 -> 1 058 781,60
    //  6: 69 131,92 -> 829 583,04    -> 9 234 412,32 after eleven years.
    // Year 12 pays 92 643,39 a month: 8 times (741 147,12), then the last 24 440,56.
    assert_eq!(p.lasts, PayoutDuration::RunsOut { months: 141 });
    assert_eq!(p.lasts.years_and_months(), (11, 9));
    assert_eq!(p.total_paid, p.savings);
}

#[test]
fn a_small_balance_gets_the_floor() {
    let p = project(&retired_with(tenge(500_000)), &FLAT);
    // 500 000 × 6.5% / 12 = 2 708,33 ₸, below the 35 595 ₸ floor.
    assert!(p.floor_applies);
    assert_eq!(p.first_payout, tenge(35_595));
    assert_eq!(p.payout_floor, tenge(35_595));
    // Year 1: 12 × 35 595 = 427 140; left 72 860. Year 2: 35 595 × 1.05 = 37 374,75 once,
    // then the last 35 485,25.
    assert_eq!(p.lasts, PayoutDuration::RunsOut { months: 14 });
    assert_eq!(p.total_paid, tenge(500_000));
}

#[test]
fn savings_below_the_floor_are_paid_at_once() {
    let p = project(&retired_with(tenge(20_000)), &FLAT);
    assert!(p.floor_applies);
    assert_eq!(p.first_payout, tenge(20_000));
    assert_eq!(p.lasts, PayoutDuration::RunsOut { months: 1 });
    let nothing = project(&retired_with(Money::ZERO), &FLAT);
    assert_eq!(nothing.first_payout, Money::ZERO);
    assert_eq!(nothing.lasts, PayoutDuration::RunsOut { months: 0 });
    assert!(!nothing.floor_applies);
}

#[test]
fn investment_income_during_payouts_makes_savings_last_longer() {
    let with_return = |nominal_return| Assumptions {
        nominal_return,
        salary_growth: 0.0,
        inflation: 0.06,
    };
    let input = retired_with(tenge(10_000_000));
    let months = |r| project(&input, &with_return(r)).lasts;
    assert_eq!(months(0.06), PayoutDuration::RunsOut { months: 205 });
    assert_eq!(months(0.08), PayoutDuration::RunsOut { months: 249 });
    // At 20% the income outgrows payouts rising 5% a year: the savings never run out.
    assert_eq!(
        months(0.20),
        PayoutDuration::OutlastsHorizon {
            months: forecast::PAYOUT_HORIZON_MONTHS
        }
    );
}

/// Someone 63 on 2027-03-02: exactly twelve monthly steps from 2026-03-02.
fn one_year_to_go(salary: Money) -> ForecastInput {
    ForecastInput {
        birth_date: date(1964, 3, 2),
        retirement: Retirement::Date(date(2027, 3, 2)),
        monthly_salary: salary,
        balance: Money::ZERO,
        ..retired_with(Money::ZERO)
    }
}

#[test]
fn a_year_of_contributions_by_hand() {
    let p = project(&one_year_to_go(tenge(100_000)), &FLAT);
    assert_eq!(p.months_of_saving, 12);
    // 12 × 10% of 100 000.
    assert_eq!(p.savings, tenge(120_000));
    assert_eq!(p.contributions, tenge(120_000));

    let mut with_extras = one_year_to_go(tenge(100_000));
    with_extras.employer_opvr = true;
    with_extras.voluntary = VoluntaryRate::parse("5").expect("5%");
    // ОПВ 12 × 10 000; ОПВР March–December 2026 at 3.5% (10 × 3 500) and January–February
    // 2027 at 4.5% (2 × 4 500); voluntary 12 × 5 000.
    assert_eq!(
        project(&with_extras, &FLAT).savings,
        tenge(120_000 + 35_000 + 9_000 + 60_000)
    );
}

#[test]
fn the_salary_rises_on_each_anniversary() {
    let mut input = one_year_to_go(tenge(100_000));
    input.retirement = Retirement::Date(date(2028, 3, 2));
    input.birth_date = date(1965, 3, 2);
    let growing = Assumptions {
        salary_growth: 0.10,
        ..FLAT
    };
    // 12 × 10 000 + 12 × 11 000.
    assert_eq!(project(&input, &growing).savings, tenge(252_000));
}

#[test]
fn monthly_compounding_gives_the_annual_return() {
    let mut input = one_year_to_go(tenge(100_000));
    input.balance = tenge(1_000_000);
    let twelve = Assumptions {
        nominal_return: 0.12,
        ..FLAT
    };
    let p = project(&input, &twelve);
    // Closed form: 1 000 000 × 1.12 + 10 000 × (1.12 − 1) / (1.12^(1/12) − 1) = 1 246 464,9…
    let f = 1.12f64.powf(1.0 / 12.0);
    let closed = 100_000_000.0 * 1.12 + 1_000_000.0 * 0.12 / (f - 1.0);
    assert!((p.savings.tiyn() as f64 - closed).abs() < 12.0);
    assert_eq!(p.savings, Money::from_tiyn(124_646_499));
}

/// A 30-year-old man (born 1996-01-15) earning 400 000 ₸ with 2 000 000 ₸ saved, retiring at
/// 63 on 2059-01-15: 394 monthly steps.
fn thirty_year_old() -> ForecastAnswers {
    ForecastAnswers {
        sex: Sex::Male,
        birth_date: date(1996, 1, 15),
        retirement_age: None,
        balance: tenge(2_000_000),
        monthly_salary: tenge(400_000),
        voluntary: VoluntaryRate::NONE,
        include_opvr: false,
    }
}

#[test]
fn a_thirty_year_old_under_the_shipped_scenarios() {
    let reference = Reference::load().expect("shipped reference data");
    let f = reference
        .forecast(&thirty_year_old(), today())
        .expect("a forecast");
    assert_eq!(f.legal_retirement_age, RetirementAge::from_years(63));
    assert_eq!(f.retirement_date, date(2059, 1, 15));
    assert_eq!(f.payout_floor_today, tenge(35_595));
    assert!(!f.parameters_outdated && !f.opvr_counted);
    // (scenario, savings, in today's money, first payout, in today's money, months it lasts)
    let expected = [
        (
            ScenarioKind::Pessimistic,
            11_702_479_890,
            1_727_436_111,
            63_388_433,
            9_356_946,
            205,
        ),
        (
            ScenarioKind::Base,
            18_886_389_019,
            2_787_873_229,
            102_301_274,
            15_100_980,
            249,
        ),
        (
            ScenarioKind::Optimistic,
            30_520_359_056,
            4_505_196_406,
            165_318_612,
            24_403_147,
            338,
        ),
    ];
    assert_eq!(f.scenarios.len(), expected.len());
    for (s, (kind, savings, today_money, first, first_today, months)) in
        f.scenarios.iter().zip(expected)
    {
        let p = &s.projection;
        assert_eq!(s.scenario.kind, kind);
        assert_eq!(p.months_of_saving, 394);
        assert_eq!(p.savings.tiyn(), savings, "{kind:?}");
        assert_eq!(p.savings_today.tiyn(), today_money, "{kind:?}");
        assert_eq!(p.first_payout.tiyn(), first, "{kind:?}");
        assert_eq!(p.first_payout_today.tiyn(), first_today, "{kind:?}");
        assert_eq!(p.lasts, PayoutDuration::RunsOut { months }, "{kind:?}");
        // 35 595 ₸ grown 6% a year for 394/12 years.
        assert_eq!(p.payout_floor, Money::from_tiyn(24_113_758));
        assert!(!p.floor_applies);
    }
    // Pessimistic: zero real return and zero real salary growth, so in today's money the
    // savings are about the balance plus 394 × 40 000 ₸ of ОПВ (a little less, as the salary
    // is raised only once a year).
    let pessimistic = f.scenarios[0].projection.savings_today.tiyn();
    assert!(pessimistic < (2_000_000 + 394 * 40_000) * 100);
    assert!(pessimistic > (2_000_000 + 394 * 38_000) * 100);
}

#[test]
fn opvr_and_voluntary_add_up_and_only_from_1975() {
    let reference = Reference::load().expect("shipped reference data");
    let answers = ForecastAnswers {
        voluntary: VoluntaryRate::parse("5").expect("5%"),
        include_opvr: true,
        ..thirty_year_old()
    };
    let f = reference.forecast(&answers, today()).expect("a forecast");
    assert!(f.opvr_counted);
    assert_eq!(f.scenarios[1].projection.savings.tiyn(), 35_168_790_469);

    let born_1974 = ForecastAnswers {
        birth_date: date(1974, 6, 1),
        include_opvr: true,
        ..thirty_year_old()
    };
    let f = reference.forecast(&born_1974, today()).expect("a forecast");
    assert!(!f.opvr_counted);
}

#[test]
fn a_woman_born_1967_retires_at_61_and_a_half() {
    let reference = Reference::load().expect("shipped reference data");
    let answers = ForecastAnswers {
        sex: Sex::Female,
        birth_date: date(1967, 3, 1),
        ..thirty_year_old()
    };
    let f = reference.forecast(&answers, today()).expect("a forecast");
    assert_eq!(f.retirement_age.months(), 738);
    assert_eq!(f.retirement_date, date(2028, 9, 1));
    assert_eq!(f.scenarios[0].projection.months_of_saving, 29);

    let planned = ForecastAnswers {
        retirement_age: Some(RetirementAge::from_years(65)),
        ..answers
    };
    let f = reference.forecast(&planned, today()).expect("a forecast");
    assert_eq!(f.legal_retirement_age.months(), 738);
    assert_eq!(f.retirement_date, date(2032, 3, 1));
}

#[test]
fn past_the_known_years_the_latest_parameters_are_used_and_said() {
    let reference = Reference::load().expect("shipped reference data");
    let f = reference
        .forecast(&thirty_year_old(), date(2027, 6, 1))
        .expect("a forecast");
    assert!(f.parameters_outdated);
    assert_eq!(f.payout_floor_today, tenge(35_595));
    assert_eq!(f.parameters_valid_from, date(2026, 1, 1));
}

#[test]
fn impossible_inputs_are_refused() {
    let base = || one_year_to_go(tenge(100_000));
    let check = |input: ForecastInput, assumptions: Assumptions, error| {
        assert_eq!(forecast::project(&input, &assumptions), Err(error));
    };
    check(
        ForecastInput {
            birth_date: date(2026, 3, 3),
            ..base()
        },
        FLAT,
        ForecastError::BornInFuture,
    );
    check(
        ForecastInput {
            retirement: Retirement::Age(RetirementAge::from_years(44)),
            ..base()
        },
        FLAT,
        ForecastError::RetirementAgeOutOfRange,
    );
    check(
        ForecastInput {
            retirement: Retirement::Date(date(2050, 1, 1)),
            ..base()
        },
        FLAT,
        ForecastError::RetirementAgeOutOfRange,
    );
    check(
        ForecastInput {
            balance: Money::from_tiyn(-1),
            ..base()
        },
        FLAT,
        ForecastError::NegativeAmount,
    );
    check(
        ForecastInput {
            monthly_salary: Money::from_tiyn(forecast::MAX_INPUT_TIYN + 1),
            ..base()
        },
        FLAT,
        ForecastError::AmountTooLarge,
    );
    check(
        ForecastInput {
            rates: Vec::new(),
            ..base()
        },
        FLAT,
        ForecastError::NoContributionRates,
    );
    for bad in [f64::NAN, f64::INFINITY, -0.6, 1.5] {
        let assumptions = Assumptions {
            nominal_return: bad,
            ..FLAT
        };
        check(base(), assumptions, ForecastError::AssumptionOutOfRange);
    }
}

prop_compose! {
    fn any_input()(
        birth_days in 0i64..36_500,
        age_months in 500u32..1_000,
        balance in 0i64..=forecast::MAX_INPUT_TIYN,
        salary in 0i64..=forecast::MAX_INPUT_TIYN,
        voluntary in 0u32..=10_000,
        opvr in any::<bool>(),
        floor in 0i64..10_000_000,
    ) -> ForecastInput {
        ForecastInput {
            birth_date: date(1926, 1, 1) + chrono::Duration::days(birth_days),
            retirement: Retirement::Age(RetirementAge::from_months(age_months)),
            today: today(),
            balance: Money::from_tiyn(balance),
            monthly_salary: Money::from_tiyn(salary),
            voluntary: VoluntaryRate::from_basis_points(voluntary).unwrap_or_default(),
            employer_opvr: opvr,
            rates: rates(),
            payout_floor: Money::from_tiyn(floor),
        }
    }
}

prop_compose! {
    fn any_assumptions()(
        nominal_return in forecast::MIN_ANNUAL_RATE..=forecast::MAX_ANNUAL_RATE,
        salary_growth in forecast::MIN_ANNUAL_RATE..=forecast::MAX_ANNUAL_RATE,
        inflation in forecast::MIN_ANNUAL_RATE..=forecast::MAX_ANNUAL_RATE,
    ) -> Assumptions {
        Assumptions { nominal_return, salary_growth, inflation }
    }
}

prop_compose! {
    /// Plausible people: born 1950–2008, balances to 100 million ₸, salaries to 5 million ₸,
    /// returns 0–15%.
    fn plausible()(
        birth_days in 0i64..21_000,
        balance in 0i64..10_000_000_000,
        salary in 0i64..500_000_000,
        voluntary in 0u32..=2_000,
        nominal_return in 0.0f64..0.15,
        salary_growth in 0.0f64..0.12,
        inflation in 0.0f64..0.12,
    ) -> (ForecastInput, Assumptions) {
        let input = ForecastInput {
            birth_date: date(1950, 1, 1) + chrono::Duration::days(birth_days),
            retirement: Retirement::Age(RetirementAge::from_years(63)),
            balance: Money::from_tiyn(balance),
            monthly_salary: Money::from_tiyn(salary),
            voluntary: VoluntaryRate::from_basis_points(voluntary).unwrap_or_default(),
            ..retired_with(Money::ZERO)
        };
        (input, Assumptions { nominal_return, salary_growth, inflation })
    }
}

proptest! {
    #[test]
    fn any_input_in_range_gives_an_answer_or_a_reason(
        input in any_input(),
        assumptions in any_assumptions(),
    ) {
        match forecast::project(&input, &assumptions) {
            Ok(p) => {
                prop_assert!(p.savings >= Money::ZERO);
                prop_assert!(p.first_payout <= p.savings);
                prop_assert!(p.lasts.months() <= forecast::PAYOUT_HORIZON_MONTHS);
                if p.savings > Money::ZERO {
                    prop_assert!(p.lasts.months() >= 1);
                }
            }
            Err(e) => prop_assert!(matches!(
                e,
                ForecastError::RetirementAgeOutOfRange | ForecastError::ResultTooLarge
            ), "{e:?}"),
        }
    }

    #[test]
    fn more_salary_saves_more((input, assumptions) in plausible(), extra in 10_000i64..100_000_000) {
        let before = forecast::project(&input, &assumptions);
        let richer = ForecastInput {
            monthly_salary: Money::from_tiyn(input.monthly_salary.tiyn() + extra),
            ..input.clone()
        };
        let after = forecast::project(&richer, &assumptions);
        prop_assert!(before.is_ok() && after.is_ok());
        if let (Ok(before), Ok(after)) = (before, after) {
            if before.months_of_saving > 0 {
                prop_assert!(after.savings > before.savings);
                prop_assert!(after.first_payout >= before.first_payout);
            } else {
                prop_assert_eq!(after.savings, before.savings);
            }
        }
    }

    #[test]
    fn zero_return_and_no_salary_leave_savings_unchanged((input, _) in plausible()) {
        let idle = ForecastInput { monthly_salary: Money::ZERO, ..input.clone() };
        let p = forecast::project(&idle, &FLAT);
        prop_assert!(p.is_ok());
        if let Ok(p) = p {
            prop_assert_eq!(p.savings, input.balance);
            prop_assert_eq!(p.savings_today, input.balance);
            prop_assert_eq!(p.contributions, Money::ZERO);
            // Without a return, everything is paid out, to the tiyn.
            prop_assert_eq!(p.total_paid, input.balance);
        }
    }

    #[test]
    fn zero_real_return_keeps_todays_value((input, assumptions) in plausible()) {
        let real_zero = Assumptions { nominal_return: assumptions.inflation, ..assumptions };
        let idle = ForecastInput { monthly_salary: Money::ZERO, ..input.clone() };
        let p = forecast::project(&idle, &real_zero);
        prop_assert!(p.is_ok());
        if let Ok(p) = p {
            // Each month's rounding moves the balance by at most half a tiyn.
            let drift = (p.savings_today.tiyn() - input.balance.tiyn()).abs();
            prop_assert!(drift <= i64::from(p.months_of_saving) + 1, "drift {}", drift);
        }
    }
}
