//! Where a voluntary pension contribution is paid (memo service 10): the fund's name, BIN,
//! account, BIC, КБе, КНП, the payment purpose with the depositor's IIN, and the bot's own
//! bounds of one payment. Dated reference data (`data/reference/payment_details.json`),
//! parsed and checked once; figures not yet checked against the fund's site carry
//! `verified: false`, and the bot then asks users to check them before paying.

use std::sync::OnceLock;

use serde::Deserialize;

use super::ReferenceError;
use crate::domain::{Iin, Lang, Money};

const FILE: &str = "payment_details.json";

/// The file shipped in `data/reference/`, embedded at build time.
pub const EMBEDDED: &str = include_str!("../../data/reference/payment_details.json");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Names {
    kk: String,
    ru: String,
    en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Limits {
    min_tenge: i64,
    max_tenge: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[allow(dead_code)]
    about: String,
    #[allow(dead_code)]
    status: String,
    verified: bool,
    recipient: Names,
    bin: String,
    iban: String,
    bic: String,
    kbe: String,
    knp: String,
    purpose_template: String,
    limits: Limits,
}

/// The payment details, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentDetails {
    /// False while the figures have not been checked against the fund's own site.
    pub verified: bool,
    recipient: Names,
    /// The fund's business identification number (12 digits).
    pub bin: String,
    /// The fund's account (ИИК / ЖСК), an IBAN of Kazakhstan (20 characters).
    pub iban: String,
    pub bic: String,
    /// The beneficiary's code (КБе): residency and economic sector.
    pub kbe: String,
    /// The purpose code (КНП) of a voluntary pension contribution.
    pub knp: String,
    purpose_template: String,
    /// The smallest and largest single payment the bot prepares.
    pub min: Money,
    pub max: Money,
}

fn invalid(problem: &str) -> ReferenceError {
    ReferenceError::Invalid {
        file: FILE,
        problem: problem.to_owned(),
    }
}

fn all_digits(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_digit())
}

impl PaymentDetails {
    /// Parses and checks a file text.
    pub fn parse(text: &str) -> Result<PaymentDetails, ReferenceError> {
        let raw: File = serde_json::from_str(text).map_err(|e| ReferenceError::Parse {
            file: FILE,
            message: e.to_string(),
        })?;
        if !all_digits(&raw.bin, 12) {
            return Err(invalid("bin: 12 digits"));
        }
        let iban_ok = raw.iban.len() == 20
            && raw.iban.starts_with("KZ")
            && raw
                .iban
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !iban_ok {
            return Err(invalid("iban: KZ and 18 capital letters or digits"));
        }
        let bic_ok = raw.bic.len() == 8 && raw.bic.bytes().all(|b| b.is_ascii_uppercase());
        if !bic_ok {
            return Err(invalid("bic: 8 capital letters"));
        }
        if !all_digits(&raw.kbe, 2) || !all_digits(&raw.knp, 3) {
            return Err(invalid("kbe: 2 digits, knp: 3 digits"));
        }
        if !raw.purpose_template.contains("{iin}") {
            return Err(invalid("purpose_template must name {iin}"));
        }
        let names = [&raw.recipient.kk, &raw.recipient.ru, &raw.recipient.en];
        if names.iter().any(|n| n.trim().is_empty()) {
            return Err(invalid("recipient: a name in every language"));
        }
        let min = Money::from_tenge(raw.limits.min_tenge);
        let max = Money::from_tenge(raw.limits.max_tenge);
        let (Some(min), Some(max)) = (min, max) else {
            return Err(invalid("limits out of range"));
        };
        if min.tiyn() <= 0 || min > max {
            return Err(invalid("limits: 0 < min_tenge <= max_tenge"));
        }
        Ok(PaymentDetails {
            verified: raw.verified,
            recipient: raw.recipient,
            bin: raw.bin,
            iban: raw.iban,
            bic: raw.bic,
            kbe: raw.kbe,
            knp: raw.knp,
            purpose_template: raw.purpose_template,
            min,
            max,
        })
    }

    /// The fund's name in this language.
    pub fn recipient(&self, lang: Lang) -> &str {
        match lang {
            Lang::Kk => &self.recipient.kk,
            Lang::Ru => &self.recipient.ru,
            Lang::En => &self.recipient.en,
        }
    }

    /// The payment purpose: names the depositor's IIN (how the fund credits the money) and
    /// the name as the registry holds it.
    pub fn purpose(&self, iin: &Iin, full_name: &str) -> String {
        self.purpose_template
            .replace("{iin}", iin.as_str())
            .replace("{full_name}", full_name)
    }
}

/// The embedded details, parsed once per process.
pub fn embedded() -> Result<&'static PaymentDetails, ReferenceError> {
    static LOADED: OnceLock<Result<PaymentDetails, ReferenceError>> = OnceLock::new();
    LOADED
        .get_or_init(|| PaymentDetails::parse(EMBEDDED))
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_loads_with_sensible_limits() {
        let details = embedded().expect("payment_details.json loads");
        assert_eq!(details.min, Money::from_tiyn(100_000));
        assert_eq!(details.max, Money::from_tiyn(1_000_000_000));
        assert!(details.recipient(Lang::Kk).contains("зейнетақы"));
        // Placeholders are still in the file: the bot must say so.
        assert!(!details.verified);
    }

    #[test]
    fn the_purpose_names_the_iin() {
        let details = embedded().expect("loads");
        let iin = Iin::parse("900314450018").expect("a valid IIN");
        let purpose = details.purpose(&iin, "Сейтқали Айгерім");
        assert!(purpose.contains("ИИН 900314450018"), "{purpose}");
        assert!(purpose.contains("Сейтқали Айгерім"));
    }

    #[test]
    fn broken_files_are_refused() {
        let good: serde_json::Value = serde_json::from_str(EMBEDDED).expect("json");
        let broken = |path: &str, value: serde_json::Value| {
            let mut copy = good.clone();
            let mut slot = &mut copy;
            for part in path.split('.') {
                slot = &mut slot[part];
            }
            *slot = value;
            PaymentDetails::parse(&copy.to_string())
        };
        assert!(broken("bin", "97124000211".into()).is_err());
        assert!(broken("iban", "KZ00".into()).is_err());
        assert!(broken("bic", "nbrkkzkx".into()).is_err());
        assert!(broken("knp", "13".into()).is_err());
        assert!(broken("purpose_template", "ДПВ".into()).is_err());
        assert!(broken("limits.min_tenge", 0.into()).is_err());
        assert!(broken("limits.max_tenge", 10.into()).is_err());
        assert!(broken("recipient.kk", " ".into()).is_err());
        assert!(PaymentDetails::parse("{}").is_err());
    }
}
