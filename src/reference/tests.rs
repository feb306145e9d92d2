//! The shipped files load and say what domain.md says; altered copies are refused.

use chrono::{Datelike, Duration, NaiveDate};

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn shipped() -> Reference {
    match Reference::load() {
        Ok(reference) => reference,
        Err(e) => panic!("the shipped reference data must load: {e}"),
    }
}

#[derive(Clone, Copy)]
enum File {
    Parameters,
    RetirementAges,
    Rates,
    Managers,
    Scenarios,
    Banks,
}

/// The embedded sources with the first `from` in one file replaced by `to`.
fn altered(file: File, from: &str, to: &str) -> Result<Reference, ReferenceError> {
    let mut sources = Sources::EMBEDDED;
    let slot = match file {
        File::Parameters => &mut sources.parameters,
        File::RetirementAges => &mut sources.retirement_ages,
        File::Rates => &mut sources.contribution_rates,
        File::Managers => &mut sources.managers,
        File::Scenarios => &mut sources.forecast_scenarios,
        File::Banks => &mut sources.banks,
    };
    assert!(
        slot.contains(from),
        "test setup: {from:?} is not in the file"
    );
    let text = slot.replacen(from, to, 1);
    *slot = &text;
    Reference::from_sources(&sources)
}

#[test]
fn yearly_parameters_follow_domain_md() {
    let r = shipped();
    let tenge = |t: i64| Money::from_tiyn(t * 100);
    let p2025 = r.parameters_on(date(2025, 6, 30));
    assert_eq!(p2025.map(|p| p.payout_floor), Some(tenge(32_360)));
    assert_eq!(p2025.map(|p| p.mrp), Some(tenge(3_932)));
    assert_eq!(p2025.map(|p| p.minimum_pension), Some(tenge(62_771)));
    assert_eq!(p2025.map(|p| p.subsistence_minimum), Some(tenge(46_228)));
    let p2026 = r.parameters_on(date(2026, 1, 1));
    assert_eq!(p2026.map(|p| p.payout_floor), Some(tenge(35_595)));
    assert_eq!(p2026.map(|p| p.minimum_wage), Some(tenge(85_000)));
    assert_eq!(p2026.map(|p| p.mrp), Some(tenge(4_325)));
    assert_eq!(p2026.map(|p| p.minimum_pension), Some(tenge(69_049)));
    assert_eq!(p2026.map(|p| p.subsistence_minimum), Some(tenge(50_851)));
    assert_eq!(
        r.parameters_on(date(2025, 12, 31)).map(|p| p.valid_from),
        Some(date(2025, 1, 1))
    );
    assert_eq!(r.parameters_on(date(2027, 1, 1)), None);
    assert_eq!(r.parameters_on(date(2024, 12, 31)), None);
    assert_eq!(r.latest_parameters().valid_to, date(2026, 12, 31));
    assert_eq!(r.parameters().len(), 2);
}

#[test]
fn retirement_ages_follow_the_year_the_age_is_reached() {
    let r = shipped();
    let months = |sex, y, m, d| r.retirement_age(sex, date(y, m, d)).months();
    for year in [1950, 1966, 1970, 2000] {
        assert_eq!(months(Sex::Male, year, 5, 1), 756, "men: 63");
    }
    assert_eq!(months(Sex::Female, 1960, 5, 1), 732); // 61 in 2021
    assert_eq!(months(Sex::Female, 1966, 12, 31), 732); // 61 on 2027-12-31
    assert_eq!(months(Sex::Female, 1967, 3, 1), 738); // 61.5 on 2028-09-01
    assert_eq!(months(Sex::Female, 1967, 9, 1), 744); // 62 on 2029-09-01
    assert_eq!(months(Sex::Female, 1968, 3, 1), 750); // 62.5 on 2030-09-01
    assert_eq!(months(Sex::Female, 1968, 7, 1), 756); // 63 on 2031-07-01
    assert_eq!(months(Sex::Female, 1990, 1, 1), 756);
    assert_eq!(
        r.retirement_date(Sex::Female, date(1967, 3, 1)),
        Some(date(2028, 9, 1))
    );
}

#[test]
fn some_rule_matches_every_birth_date_of_a_century() {
    let r = shipped();
    let mut day = date(1930, 1, 1);
    while day.year() < 2030 {
        for (sex, rules) in [
            (Sex::Male, &r.retirement_male),
            (Sex::Female, &r.retirement_female),
        ] {
            let age = r.retirement_age(sex, day);
            let reached = age.date_for(day);
            assert!(
                rules
                    .iter()
                    .any(|rule| rule.age == age
                        && reached.is_some_and(|d| rule.validity.contains(d))),
                "{sex:?} born {day}"
            );
        }
        day += Duration::days(1);
    }
}

#[test]
fn contribution_rates_and_opvr() {
    let r = shipped();
    let opvr = |y| r.contribution_rates_on(date(y, 7, 1)).map(|c| c.opvr_bp);
    assert_eq!(opvr(2023), Some(0));
    assert_eq!(opvr(2024), Some(150));
    assert_eq!(opvr(2025), Some(250));
    assert_eq!(opvr(2026), Some(350));
    assert_eq!(opvr(2027), Some(450));
    assert_eq!(opvr(2028), Some(500));
    assert_eq!(opvr(2060), Some(500));
    assert_eq!(
        r.contribution_rates_on(date(2040, 1, 1)).map(|c| c.opv_bp),
        Some(1_000)
    );
    assert_eq!(r.contribution_rates_on(date(1997, 12, 31)), None);
    assert!(r.opvr_applies(date(1975, 1, 1)));
    assert!(!r.opvr_applies(date(1974, 12, 31)));
    assert_eq!(r.rate_periods().len(), 6);
}

#[test]
fn managers_national_bank_first() {
    let r = shipped();
    assert_eq!(r.default_manager().code, "nbrk");
    assert_eq!(
        r.default_manager().name(Lang::En),
        "National Bank of Kazakhstan"
    );
    let today = date(2026, 3, 2);
    let codes: Vec<&str> = r
        .managers_on(today)
        .iter()
        .map(|m| m.code.as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "nbrk",
            "halyk_global_markets",
            "centras_securities",
            "bcc_invest",
            "alatau_city_invest"
        ]
    );
    assert_eq!(r.portfolio_managers_on(today).len(), 4);
    assert!(r.managers_on(date(2025, 12, 31)).is_empty());
    let bcc = r.manager("bcc_invest");
    assert_eq!(bcc.map(|m| m.name(Lang::Ru)), Some("АО «BCC Invest»"));
    assert_eq!(r.manager("unknown"), None);
    for m in r.managers_on(today) {
        for lang in Lang::ALL {
            assert!(!m.name(lang).is_empty());
        }
    }
}

#[test]
fn scenarios_are_marked_assumptions_with_zero_real_pessimism() {
    let r = shipped();
    let kinds: Vec<ScenarioKind> = r.scenarios().iter().map(|s| s.kind).collect();
    assert_eq!(kinds, ScenarioKind::ALL);
    for s in r.scenarios() {
        assert_eq!(s.status, "assumption, verify before relying on it");
    }
    let pessimistic = r.scenario(ScenarioKind::Pessimistic).map(|s| s.assumptions);
    assert!(pessimistic.is_some_and(|a| a.nominal_return == a.inflation));
    let real = |k| {
        r.scenario(k)
            .map(|s| s.assumptions.nominal_return - s.assumptions.inflation)
            .unwrap_or(f64::NAN)
    };
    assert!(real(ScenarioKind::Base) > 0.0);
    assert!(real(ScenarioKind::Optimistic) > real(ScenarioKind::Base));
    assert_eq!(r.scenarios_valid_from(), date(2026, 1, 1));
    let sources = [
        Sources::EMBEDDED.forecast_scenarios,
        Sources::EMBEDDED.parameters,
    ];
    assert!(
        sources
            .iter()
            .any(|s| s.contains("verify before relying on it"))
    );
}

#[test]
fn embedded_is_loaded_once() {
    let first = embedded().map(|r| r as *const Reference);
    let second = embedded().map(|r| r as *const Reference);
    assert!(first.is_ok());
    assert_eq!(first, second);
}

fn problem(result: Result<Reference, ReferenceError>) -> String {
    match result {
        Ok(_) => "accepted".to_owned(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn altered_parameters_are_refused() {
    let pick = File::Parameters;
    let gap = altered(
        pick,
        "\"valid_from\": \"2026-01-01\"",
        "\"valid_from\": \"2026-01-02\"",
    );
    assert!(problem(gap).contains("gap"));
    let overlap = altered(
        pick,
        "\"valid_to\": \"2025-12-31\"",
        "\"valid_to\": \"2026-01-01\"",
    );
    assert!(problem(overlap).contains("overlap"));
    let floor = altered(pick, "\"payout_floor\": 35595", "\"payout_floor\": 36595");
    assert!(problem(floor).contains("70%"));
    let zero = altered(pick, "\"mrp\": 4325", "\"mrp\": 0");
    assert!(problem(zero).contains("amounts"));
    let typo = altered(pick, "\"mrp\": 4325", "\"mrp\": 4325, \"mpr\": 1");
    assert!(problem(typo).contains("does not parse"));
    let open = altered(pick, "\"valid_to\": \"2026-12-31\"", "\"valid_to\": null");
    assert!(problem(open).contains("does not parse"));
}

#[test]
fn altered_retirement_ages_are_refused() {
    let pick = File::RetirementAges;
    let falling = altered(pick, "\"age_months\": 744", "\"age_months\": 736");
    assert!(problem(falling).contains("decrease"));
    let absurd = altered(
        pick,
        "\"age_months\": 756 }\n  ]",
        "\"age_months\": 1756 }\n  ]",
    );
    assert!(problem(absurd).contains("600..=840"));
    let gap = altered(
        pick,
        "\"valid_from\": \"2029-01-01\"",
        "\"valid_from\": \"2029-02-01\"",
    );
    assert!(problem(gap).contains("valid: female: a gap"));
    let closed = altered(
        pick,
        "{ \"valid_from\": null, \"valid_to\": null, \"age_months\": 756 }",
        "{ \"valid_from\": \"2000-01-01\", \"valid_to\": null, \"age_months\": 756 }",
    );
    assert!(problem(closed).contains("valid: male:"));
}

#[test]
fn altered_rates_managers_and_scenarios_are_refused() {
    let rates = File::Rates;
    let tiny = altered(rates, "\"opvr_percent\": 1.5", "\"opvr_percent\": 1.505");
    assert!(problem(tiny).contains("two decimals"));
    let high = altered(rates, "\"opvr_percent\": 5", "\"opvr_percent\": 50");
    assert!(problem(high).contains("opvr_percent"));
    let closed = altered(rates, "\"valid_to\": null", "\"valid_to\": \"2030-12-31\"");
    assert!(problem(closed).contains("until further notice"));

    let managers = File::Managers;
    let twice = altered(
        managers,
        "\"code\": \"bcc_invest\"",
        "\"code\": \"centras_securities\"",
    );
    assert!(problem(twice).contains("twice"));
    let two_defaults = altered(managers, "\"default\": false", "\"default\": true");
    assert!(problem(two_defaults).contains("exactly one"));
    let bad_code = altered(
        managers,
        "\"code\": \"bcc_invest\"",
        "\"code\": \"BCC Invest\"",
    );
    assert!(problem(bad_code).contains("a-z"));
    let no_name = altered(managers, "\"en\": \"BCC Invest JSC\"", "\"en\": \" \"");
    assert!(problem(no_name).contains("empty"));

    let scenarios = File::Scenarios;
    let real = altered(
        scenarios,
        "\"nominal_return_percent\": 6",
        "\"nominal_return_percent\": 7",
    );
    assert!(problem(real).contains("equal inflation"));
    let missing = altered(scenarios, "\"code\": \"base\"", "\"code\": \"optimistic\"");
    assert!(problem(missing).contains("exactly once"));
    let unknown = altered(scenarios, "\"code\": \"base\"", "\"code\": \"rosy\"");
    assert!(problem(unknown).contains("does not parse"));
    let absurd = altered(
        scenarios,
        "\"nominal_return_percent\": 10",
        "\"nominal_return_percent\": 90",
    );
    assert!(problem(absurd).contains("-10..30"));
    let upside_down = altered(
        scenarios,
        "\"nominal_return_percent\": 10",
        "\"nominal_return_percent\": 7",
    );
    assert!(problem(upside_down).contains("must not fall"));
}

#[test]
fn banks_load_and_find_the_bank_of_an_iban() {
    let reference = shipped();
    assert!(reference.banks().len() >= 10);
    let halyk = reference.bank_by_code("601");
    assert_eq!(halyk.map(|b| b.bic.as_str()), Some("HSBKKZKX"));
    assert_eq!(
        halyk.map(|b| b.name(crate::domain::Lang::Ru)),
        Some("Народный Банк Казахстана")
    );
    let kaspi = crate::domain::Iban::from_parts("722", "S000012345678");
    let found = kaspi.as_ref().and_then(|iban| reference.bank_of(iban));
    assert_eq!(found.map(|b| b.bic.as_str()), Some("CASPKZKA"));
    // The SWIFT registry's example has bank code 125, which no listed bank has.
    let example = crate::domain::Iban::parse("KZ86125KZT5004100100").ok();
    assert_eq!(example.as_ref().and_then(|i| reference.bank_of(i)), None);
    // Every bank's code makes valid IBANs that come back to it.
    for bank in reference.banks() {
        let iban = crate::domain::Iban::from_parts(&bank.iban_code, "0000000000001");
        let back = iban.as_ref().and_then(|i| reference.bank_of(i));
        assert_eq!(back.map(|b| &b.bic), Some(&bank.bic));
        assert!(bank.status == "checked" || bank.status.starts_with("verify"));
    }
}

#[test]
fn altered_banks_are_refused() {
    let banks = File::Banks;
    let twice = altered(banks, "\"iban_code\": \"722\"", "\"iban_code\": \"601\"");
    assert!(problem(twice).contains("twice"));
    let short = altered(banks, "\"iban_code\": \"722\"", "\"iban_code\": \"72\"");
    assert!(problem(short).contains("three digits"));
    let foreign = altered(banks, "\"bic\": \"CASPKZKA\"", "\"bic\": \"CASPRUMM\"");
    assert!(problem(foreign).contains("Kazakhstan BIC"));
    let status = altered(banks, "\"status\": \"checked\"", "\"status\": \"sure\"");
    assert!(problem(status).contains("unknown status"));
    let unknown = altered(banks, "\"bic\": \"CASPKZKA\"", "\"swift\": \"CASPKZKA\"");
    assert!(problem(unknown).contains("does not parse"));
}
