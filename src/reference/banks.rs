//! Banks a depositor may have an account with (`data/reference/banks.json`): their names in
//! the three languages, BIC and the IBAN bank code (characters 5-7), checked at start-up: codes
//! three digits and unique, BICs eight or eleven characters of a Kazakhstan bank and unique.

use serde::Deserialize;

use super::{ManagerNames, ReferenceError};
use crate::domain::{Iban, Lang};

pub(crate) const BANKS: &str = "banks.json";

/// A bank of the reference list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bank {
    /// Characters 5-7 of the bank's IBANs (`601`).
    pub iban_code: String,
    /// `HSBKKZKX`.
    pub bic: String,
    /// `checked`, or `verify before relying on it`.
    pub status: String,
    pub names: ManagerNames,
}

impl Bank {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Kk => &self.names.kk,
            Lang::Ru => &self.names.ru,
            Lang::En => &self.names.en,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BanksFile {
    #[allow(dead_code)]
    about: String,
    #[allow(dead_code)]
    source: String,
    banks: Vec<BankEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BankEntry {
    iban_code: String,
    bic: String,
    status: String,
    name: ManagerNames,
}

fn invalid(problem: impl Into<String>) -> ReferenceError {
    ReferenceError::Invalid {
        file: BANKS,
        problem: problem.into(),
    }
}

/// Parses and checks `banks.json`.
pub(crate) fn banks(text: &str) -> Result<Vec<Bank>, ReferenceError> {
    let raw: BanksFile = serde_json::from_str(text).map_err(|e| ReferenceError::Parse {
        file: BANKS,
        message: e.to_string(),
    })?;
    if raw.banks.is_empty() {
        return Err(invalid("no banks"));
    }
    let mut out: Vec<Bank> = Vec::with_capacity(raw.banks.len());
    for entry in raw.banks {
        let code = &entry.iban_code;
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(format!("iban_code {code:?} is not three digits")));
        }
        let bic = &entry.bic;
        let bic_ok = matches!(bic.len(), 8 | 11)
            && bic
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && bic.get(4..6) == Some("KZ");
        if !bic_ok {
            return Err(invalid(format!("bic {bic:?} is not a Kazakhstan BIC")));
        }
        if !matches!(
            entry.status.as_str(),
            "checked" | "verify before relying on it"
        ) {
            return Err(invalid(format!("bank {code}: unknown status")));
        }
        let names = [&entry.name.kk, &entry.name.ru, &entry.name.en];
        if names.iter().any(|n| n.trim().is_empty()) {
            return Err(invalid(format!("bank {code}: a name is empty")));
        }
        if out.iter().any(|b| &b.iban_code == code || &b.bic == bic) {
            return Err(invalid(format!("bank {code} / {bic} is listed twice")));
        }
        out.push(Bank {
            iban_code: entry.iban_code,
            bic: entry.bic,
            status: entry.status,
            names: entry.name,
        });
    }
    Ok(out)
}

/// The bank of an IBAN: the one whose code is its characters 5-7.
pub(crate) fn bank_of<'a>(banks: &'a [Bank], iban: &Iban) -> Option<&'a Bank> {
    banks.iter().find(|b| b.iban_code == iban.bank_code())
}
