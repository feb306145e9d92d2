//! A Kazakhstan bank account number (IBAN, ЖСК / ИИК): `KZ`, two check digits, the bank's
//! three-digit code and a thirteen-character account, 20 characters in all (ISO 13616,
//! check digits by ISO 7064 mod 97-10).
//!
//! An `Iban` exists only after its parser passed: the country, the length, the characters and
//! the check digits. Whether the bank code belongs to a bank we know is the reference data's
//! question (`reference::Banks`), not the parser's.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The length of a Kazakhstan IBAN.
pub const KZ_IBAN_LEN: usize = 20;

/// Why a text is not a Kazakhstan IBAN. Distinct variants so the user is told precisely what
/// to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum IbanError {
    #[error("the account number is empty")]
    Empty,
    #[error("an account number has only Latin letters and digits")]
    BadCharacters,
    #[error("a Kazakhstan account number starts with KZ")]
    NotKazakh,
    #[error("a Kazakhstan account number has 20 characters, not {len}")]
    WrongLength { len: usize },
    #[error("the bank code (characters 5-7) is three digits")]
    BadBankCode,
    #[error("the check digits do not match: a character is mistyped")]
    BadCheckDigits,
}

/// A valid Kazakhstan IBAN, kept in its compact upper-case form.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iban {
    compact: String,
}

impl Iban {
    /// Parses what a user typed: spaces (and the dashes some banks print) between the groups
    /// are ignored and letters may be lower case (`kz86 125k zt50 0410 0100`).
    pub fn parse(input: &str) -> Result<Iban, IbanError> {
        let mut compact = String::with_capacity(KZ_IBAN_LEN);
        for ch in input.chars() {
            if ch.is_whitespace() || ch == '-' {
                continue;
            }
            if !ch.is_ascii_alphanumeric() {
                return Err(IbanError::BadCharacters);
            }
            compact.push(ch.to_ascii_uppercase());
            // Longer than any sensible input: stop copying, the length check refuses it.
            if compact.len() > 64 {
                break;
            }
        }
        if compact.is_empty() {
            return Err(IbanError::Empty);
        }
        if !compact.starts_with("KZ") {
            return Err(IbanError::NotKazakh);
        }
        if compact.len() != KZ_IBAN_LEN {
            return Err(IbanError::WrongLength { len: compact.len() });
        }
        let bytes = compact.as_bytes();
        if !bytes[2..4].iter().all(u8::is_ascii_digit) {
            return Err(IbanError::BadCheckDigits);
        }
        if !bytes[4..7].iter().all(u8::is_ascii_digit) {
            return Err(IbanError::BadBankCode);
        }
        if mod97(&compact) != 1 {
            return Err(IbanError::BadCheckDigits);
        }
        Ok(Iban { compact })
    }

    /// Builds the IBAN of a bank code and account by computing its check digits (for demo
    /// data and tests). `None` unless the code is three digits and the account 13 Latin
    /// letters or digits.
    pub fn from_parts(bank_code: &str, account: &str) -> Option<Iban> {
        let code_ok = bank_code.len() == 3 && bank_code.bytes().all(|b| b.is_ascii_digit());
        let account_ok = account.len() == 13 && account.bytes().all(|b| b.is_ascii_alphanumeric());
        if !code_ok || !account_ok {
            return None;
        }
        let bban = format!("{bank_code}{}", account.to_ascii_uppercase());
        let check = 98 - mod97(&format!("KZ00{bban}"));
        Iban::parse(&format!("KZ{check:02}{bban}")).ok()
    }

    /// `KZ86125KZT5004100100`.
    pub fn as_str(&self) -> &str {
        &self.compact
    }

    /// The bank's code: characters 5 to 7.
    pub fn bank_code(&self) -> &str {
        &self.compact[4..7]
    }

    /// Groups of four, as banks print it: `KZ86 125K ZT50 0410 0100`.
    pub fn grouped(&self) -> String {
        let mut out = String::with_capacity(KZ_IBAN_LEN + 4);
        for (i, ch) in self.compact.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push(' ');
            }
            out.push(ch);
        }
        out
    }

    /// For logs: the country, the bank code and the last four characters.
    pub fn masked(&self) -> String {
        format!("KZ**{}*********{}", self.bank_code(), &self.compact[16..])
    }
}

/// ISO 7064 mod 97-10 of an IBAN: the first four characters moved to the end, letters as
/// 10..35, the whole number taken mod 97 digit by digit.
fn mod97(compact: &str) -> u32 {
    let (head, tail) = compact.split_at(4.min(compact.len()));
    tail.chars().chain(head.chars()).fold(0u32, |acc, ch| {
        let value = ch.to_digit(36).unwrap_or(0);
        if value < 10 {
            (acc * 10 + value) % 97
        } else {
            (acc * 100 + value) % 97
        }
    })
}

impl TryFrom<String> for Iban {
    type Error = IbanError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Iban::parse(&value)
    }
}

impl From<Iban> for String {
    fn from(value: Iban) -> String {
        value.compact
    }
}

impl fmt::Display for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.grouped())
    }
}

/// Masked, so an account number that slips into a log line is not revealed.
impl fmt::Debug for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iban({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The example of the IBAN registry (SWIFT) for Kazakhstan.
    const REGISTRY_EXAMPLE: &str = "KZ86125KZT5004100100";

    #[test]
    fn the_registry_example_parses_in_every_typed_form() {
        for typed in [
            REGISTRY_EXAMPLE,
            "KZ86 125K ZT50 0410 0100",
            " kz86125kzt5004100100 ",
            "KZ86-125K-ZT50-0410-0100",
        ] {
            let iban = Iban::parse(typed).map_err(|e| format!("{typed}: {e}"));
            assert_eq!(iban.as_ref().map(Iban::as_str), Ok(REGISTRY_EXAMPLE));
        }
        let iban = Iban::parse(REGISTRY_EXAMPLE).ok();
        assert_eq!(iban.as_ref().map(Iban::bank_code), Some("125"));
        assert_eq!(
            iban.as_ref().map(Iban::grouped).as_deref(),
            Some("KZ86 125K ZT50 0410 0100")
        );
    }

    #[test]
    fn each_mistake_has_its_reason() {
        assert_eq!(Iban::parse("  "), Err(IbanError::Empty));
        assert_eq!(
            Iban::parse("KZ86 125K ZT50 0410 010"),
            Err(IbanError::WrongLength { len: 19 })
        );
        assert_eq!(
            Iban::parse("KZ86125KZT50041001001"),
            Err(IbanError::WrongLength { len: 21 })
        );
        assert_eq!(
            Iban::parse("DE89370400440532013000"),
            Err(IbanError::NotKazakh)
        );
        assert_eq!(
            Iban::parse("KZ86125KZT5004100101"),
            Err(IbanError::BadCheckDigits)
        );
        assert_eq!(
            Iban::parse("KZ8612 5KZT5004100100."),
            Err(IbanError::BadCharacters)
        );
        assert_eq!(
            Iban::parse("КZ86125KZT5004100100"),
            Err(IbanError::BadCharacters),
            "a Cyrillic К is not a Latin K"
        );
        assert_eq!(
            Iban::parse("KZ86A25KZT5004100100"),
            Err(IbanError::BadBankCode)
        );
    }

    #[test]
    fn from_parts_computes_the_check_digits() {
        let iban = Iban::from_parts("125", "KZT5004100100");
        assert_eq!(iban.as_ref().map(Iban::as_str), Some(REGISTRY_EXAMPLE));
        assert_eq!(Iban::from_parts("12", "KZT5004100100"), None);
        assert_eq!(Iban::from_parts("125", "KZT500410010"), None);
    }

    #[test]
    fn debug_and_masked_hide_the_account() {
        let Ok(iban) = Iban::parse(REGISTRY_EXAMPLE) else {
            panic!("the example parses");
        };
        let debug = format!("{iban:?}");
        assert!(!debug.contains("5004100"), "{debug}");
        assert_eq!(iban.masked(), "KZ**125*********0100");
    }

    fn account() -> impl Strategy<Value = String> {
        "[0-9A-Z]{13}"
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC{0,40}") {
            let _ = Iban::parse(&text);
        }

        #[test]
        fn built_ibans_parse_back(code in "[0-9]{3}", account in account()) {
            let iban = Iban::from_parts(&code, &account);
            prop_assert!(iban.is_some());
            if let Some(iban) = iban {
                prop_assert_eq!(iban.bank_code(), code.as_str());
                prop_assert_eq!(Iban::parse(&iban.grouped()), Ok(iban.clone()));
                prop_assert_eq!(Iban::parse(&iban.as_str().to_lowercase()), Ok(iban.clone()));
                let json = serde_json::to_string(&iban).unwrap_or_default();
                prop_assert_eq!(serde_json::from_str::<Iban>(&json).ok(), Some(iban));
            }
        }

        /// Mod 97 catches every single changed digit (a letter counts as two digits, so
        /// for letters the guarantee is weaker: the property is stated for digits).
        #[test]
        fn one_changed_digit_is_caught(
            code in "[0-9]{3}",
            account in "[0-9]{13}",
            position in 2usize..20,
            replacement in "[0-9]",
        ) {
            let Some(iban) = Iban::from_parts(&code, &account) else {
                return Err(TestCaseError::fail("built"));
            };
            let mut chars: Vec<char> = iban.as_str().chars().collect();
            let new = replacement.chars().next().unwrap_or('0');
            prop_assume!(chars[position] != new);
            chars[position] = new;
            let changed: String = chars.into_iter().collect();
            prop_assert!(Iban::parse(&changed).is_err(), "{changed} was accepted");
        }

        /// Swapping two different neighbouring digits is caught too.
        #[test]
        fn swapped_neighbours_are_caught(
            code in "[0-9]{3}",
            account in "[0-9]{13}",
            position in 4usize..19,
        ) {
            let Some(iban) = Iban::from_parts(&code, &account) else {
                return Err(TestCaseError::fail("built"));
            };
            let mut chars: Vec<char> = iban.as_str().chars().collect();
            prop_assume!(chars[position] != chars[position + 1]);
            chars.swap(position, position + 1);
            let changed: String = chars.into_iter().collect();
            prop_assert!(Iban::parse(&changed).is_err(), "{changed} was accepted");
        }
    }
}
