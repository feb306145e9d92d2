//! The canonical documents of the applications filed in the bot for payouts and bank details
//! (signing-api.md, "Canonical application documents"): what the depositor signs with the EDS.
//!
//! One `#[derive(Serialize)]` struct per kind; `serde_json::to_string` writes the fields in
//! declaration order, so the same application always gives the same UTF-8 bytes and the same
//! SHA-256. The first fields are always `kind`, `iin`, `full_name`, `created_at` (RFC 3339 in
//! Kazakhstan time, UTC+5); money is integer tiyn with `currency` "KZT". Each field `foo_bar`
//! has the label `doc-field-foo-bar` in `locales/*/filing.ftl` for the signing page.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::application::ApplicationKind;
use super::dates::KAZAKHSTAN_TIME;
use super::eligibility::{PayoutSource, VoluntaryBasis};
use super::{Iban, Iin, Money};

/// The fields every document starts with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Head {
    pub kind: ApplicationKind,
    pub iin: String,
    pub full_name: String,
    pub created_at: String,
}

impl Head {
    pub fn new(kind: ApplicationKind, iin: &Iin, full_name: &str, at: DateTime<Utc>) -> Head {
        Head {
            kind,
            iin: iin.as_str().to_owned(),
            full_name: full_name.to_owned(),
            created_at: kazakhstan_time(at),
        }
    }
}

/// `2026-03-02T15:00:00+05:00`.
pub fn kazakhstan_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&KAZAKHSTAN_TIME)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Where a payout goes: the account, its bank and the holder's name as the bank has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payee {
    pub iban: String,
    pub bank_bic: String,
    pub account_holder: String,
}

impl Payee {
    pub fn new(iban: &Iban, bank_bic: &str, account_holder: &str) -> Payee {
        Payee {
            iban: iban.as_str().to_owned(),
            bank_bic: bank_bic.to_owned(),
            account_holder: account_holder
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

/// Payout from ОПВ and/or ОППВ on disability of group 1 or 2 established indefinitely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisabilityPayoutDocument {
    #[serde(flatten)]
    pub head: Head,
    pub disability_group: u8,
    pub disability_indefinite: bool,
    /// `["opv"]`, `["oppv"]` or `["opv", "oppv"]`.
    pub sources: Vec<PayoutSource>,
    #[serde(flatten)]
    pub payee: Payee,
}

/// Payout from voluntary savings, at 50 or on disability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoluntaryPayoutDocument {
    #[serde(flatten)]
    pub head: Head,
    pub basis: VoluntaryBasis,
    /// `1973-04-05`, from the registry (the IIN's birth date).
    pub birth_date: String,
    /// The voluntary balance on the day of filing, in tiyn.
    pub voluntary_balance: i64,
    pub currency: &'static str,
    #[serde(flatten)]
    pub payee: Payee,
}

impl VoluntaryPayoutDocument {
    pub fn balance(balance: Money) -> (i64, &'static str) {
        (balance.tiyn(), "KZT")
    }
}

/// New bank details for payouts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BankDetailsDocument {
    #[serde(flatten)]
    pub head: Head,
    #[serde(flatten)]
    pub payee: Payee,
}

/// The canonical JSON of a document. Serialising these structs cannot fail (strings, numbers
/// and lists only); an empty string would be refused by the store's draft check.
pub fn canonical<T: Serialize>(document: &T) -> String {
    serde_json::to_string(document).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::application::document_digest;

    fn head(kind: ApplicationKind) -> Head {
        let iin = Iin::parse("681102376067").ok();
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).single();
        match (iin, at) {
            (Some(iin), Some(at)) => Head::new(kind, &iin, "Иванов Сергей Петрович", at),
            _ => panic!("test data is valid"),
        }
    }

    fn payee() -> Payee {
        match Iban::from_parts("722", "S000012345678") {
            Some(iban) => Payee::new(&iban, "CASPKZKA", "  Иванов  Сергей Петрович "),
            None => panic!("test IBAN builds"),
        }
    }

    fn disability() -> DisabilityPayoutDocument {
        DisabilityPayoutDocument {
            head: head(ApplicationKind::DisabilityPayout),
            disability_group: 2,
            disability_indefinite: true,
            sources: vec![PayoutSource::Opv, PayoutSource::Oppv],
            payee: payee(),
        }
    }

    #[test]
    fn fields_come_in_the_declared_order() {
        let json = canonical(&disability());
        let iban = payee().iban;
        assert_eq!(
            json,
            format!(
                "{{\"kind\":\"disability_payout\",\"iin\":\"681102376067\",\
                 \"full_name\":\"Иванов Сергей Петрович\",\
                 \"created_at\":\"2026-03-02T15:00:00+05:00\",\
                 \"disability_group\":2,\"disability_indefinite\":true,\
                 \"sources\":[\"opv\",\"oppv\"],\"iban\":\"{iban}\",\
                 \"bank_bic\":\"CASPKZKA\",\"account_holder\":\"Иванов Сергей Петрович\"}}"
            )
        );
    }

    #[test]
    fn the_same_application_gives_the_same_bytes_and_digest() {
        let first = canonical(&disability());
        let second = canonical(&disability());
        assert_eq!(first.as_bytes(), second.as_bytes());
        assert_eq!(document_digest(&first), document_digest(&second));
        assert_eq!(document_digest(&first).len(), 64);
        let mut other = disability();
        other.sources = vec![PayoutSource::Opv];
        assert_ne!(document_digest(&canonical(&other)), document_digest(&first));
    }

    #[test]
    fn voluntary_and_bank_documents_start_with_the_head() {
        let (voluntary_balance, currency) =
            VoluntaryPayoutDocument::balance(Money::from_tiyn(12_345_678));
        let voluntary = VoluntaryPayoutDocument {
            head: head(ApplicationKind::VoluntaryPayoutAge),
            basis: VoluntaryBasis::Age,
            birth_date: "1968-11-02".into(),
            voluntary_balance,
            currency,
            payee: payee(),
        };
        let json = canonical(&voluntary);
        assert!(json.starts_with(
            "{\"kind\":\"voluntary_payout_age\",\"iin\":\"681102376067\",\"full_name\":"
        ));
        assert!(json.contains(
            "\"basis\":\"age\",\"birth_date\":\"1968-11-02\",\"voluntary_balance\":12345678,\"currency\":\"KZT\",\"iban\":"
        ));
        let bank = canonical(&BankDetailsDocument {
            head: head(ApplicationKind::BankDetailsChange),
            payee: payee(),
        });
        assert!(bank.starts_with("{\"kind\":\"bank_details_change\","));
        assert!(
            bank.ends_with(
                "\"bank_bic\":\"CASPKZKA\",\"account_holder\":\"Иванов Сергей Петрович\"}"
            )
        );
    }

    #[test]
    fn every_field_has_a_label_in_every_language() {
        let i18n = match crate::i18n::I18n::load() {
            Ok(i18n) => i18n,
            Err(e) => panic!("locales load: {e}"),
        };
        let (voluntary_balance, currency) = VoluntaryPayoutDocument::balance(Money::from_tiyn(1));
        let documents = [
            canonical(&disability()),
            canonical(&VoluntaryPayoutDocument {
                head: head(ApplicationKind::VoluntaryPayoutDisability),
                basis: VoluntaryBasis::Disability,
                birth_date: "1990-09-05".into(),
                voluntary_balance,
                currency,
                payee: payee(),
            }),
            canonical(&BankDetailsDocument {
                head: head(ApplicationKind::BankDetailsChange),
                payee: payee(),
            }),
        ];
        for json in documents {
            let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
            let fields = value
                .as_object()
                .map(|o| o.keys().cloned().collect::<Vec<_>>());
            let fields = fields.unwrap_or_default();
            assert!(fields.len() >= 7, "{json}");
            for field in fields {
                let key = format!("doc-field-{}", field.replace('_', "-"));
                for lang in crate::domain::Lang::ALL {
                    assert!(i18n.has(lang, &key), "{key} missing in {lang:?}");
                }
            }
        }
    }
}
