//! A Kazakhstan mobile number: parsing every common way of typing it, normalising it to E.164
//! (`+77781234567`) and masking it as the fund's memo does (`8778*****`).
//!
//! Only mobile numbers of Kazakh operators are accepted (the fund sends one-time passwords by
//! SMS); Russian numbers under the shared +7 code and Kazakh landlines are refused with their own
//! error so the user is told why.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a text is not a Kazakhstan mobile number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PhoneError {
    #[error("the phone number is empty")]
    Empty,
    #[error(
        "a phone number contains only digits, spaces, dashes, dots, parentheses and a leading +"
    )]
    NotANumber,
    #[error("the phone number has the wrong number of digits")]
    WrongLength,
    #[error("the number is not a Kazakhstan number")]
    NotKazakhstan,
    #[error("the number is a Kazakhstan landline, not a mobile number")]
    Landline,
}

/// A Kazakhstan mobile number, kept as E.164 (`+77781234567`).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone {
    e164: String,
}

impl Phone {
    /// Accepts `8 778 123 45 67`, `+7(778)1234567`, `77781234567`, `8-778-123-45-67`,
    /// `+7 778 123 4567`, `7781234567` and the like: digits with spaces, dashes, dots and
    /// parentheses, optionally led by `+`.
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PhoneError::Empty);
        }
        let (international, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(12);
        for ch in rest.chars() {
            if ch.is_ascii_digit() {
                digits.push(ch);
            } else if !is_separator(ch) {
                return Err(PhoneError::NotANumber);
            }
        }
        if digits.is_empty() {
            return Err(PhoneError::NotANumber);
        }
        let national = national_number(&digits, international)?;
        check_kazakh_mobile(national)?;
        Ok(Phone {
            e164: format!("+7{national}"),
        })
    }

    /// `+77781234567`: for storage and for the SMS gateway. Never log it.
    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// `8778*****`, as the fund's memo shows a number: the trunk prefix 8, the operator code,
    /// and five stars.
    pub fn masked(&self) -> String {
        let operator = self.national().get(..3).unwrap_or_default();
        format!("8{operator}*****")
    }

    /// The ten digits after +7.
    fn national(&self) -> &str {
        self.e164.get(2..).unwrap_or_default()
    }
}

/// What people put between digit groups; U+2010..U+2013 are the Unicode hyphens and dashes that
/// phone keyboards and copy-paste produce instead of `-`.
fn is_separator(ch: char) -> bool {
    ch.is_whitespace() || matches!(ch, '-' | '.' | '(' | ')' | '\u{2010}'..='\u{2013}')
}

/// The ten-digit national number inside the typed digits.
fn national_number(digits: &str, international: bool) -> Result<&str, PhoneError> {
    if international {
        // After `+` comes the country code: Kazakhstan shares 7 with Russia.
        return match digits.strip_prefix('7') {
            Some(national) if national.len() == 10 => Ok(national),
            Some(_) => Err(PhoneError::WrongLength),
            None => Err(PhoneError::NotKazakhstan),
        };
    }
    match digits.len() {
        // No Kazakh national number starts with 8: ten digits led by the trunk prefix are an
        // eleven-digit number with a digit missing.
        10 if digits.starts_with('8') => Err(PhoneError::WrongLength),
        10 => Ok(digits),
        // 8 is the domestic trunk prefix, 7 the country code typed without `+`.
        11 => match digits.strip_prefix(['8', '7']) {
            Some(national) => Ok(national),
            None => Err(PhoneError::NotKazakhstan),
        },
        _ => Err(PhoneError::WrongLength),
    }
}

/// The national number must match `7(?:0[0-25-8]|47|6[0-4]|7[15-8]|85)\d{7}`
/// (libphonenumber's Kazakh mobile pattern). Other +7 numbers outside 7xx are Russian;
/// 7xx codes outside the list are Kazakh landlines (727 Almaty, 717 Astana, ...).
fn check_kazakh_mobile(national: &str) -> Result<(), PhoneError> {
    let bytes = national.as_bytes();
    let [b'7', second, third, ..] = bytes else {
        return Err(PhoneError::NotKazakhstan);
    };
    let mobile = match second {
        b'0' => matches!(third, b'0'..=b'2' | b'5'..=b'8'),
        b'4' => *third == b'7',
        b'6' => matches!(third, b'0'..=b'4'),
        b'7' => matches!(third, b'1' | b'5'..=b'8'),
        b'8' => *third == b'5',
        _ => false,
    };
    if mobile {
        Ok(())
    } else {
        Err(PhoneError::Landline)
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Phone::parse(&value)
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> String {
        phone.e164
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MOBILE_CODES: [&str; 16] = [
        "700", "701", "702", "705", "706", "707", "708", "747", "760", "761", "762", "763", "764",
        "771", "775", "776",
    ];
    const MORE_MOBILE_CODES: [&str; 3] = ["777", "778", "785"];

    #[test]
    fn every_common_typing_normalises() {
        for text in [
            "8 778 123 45 67",
            "+7(778)1234567",
            "77781234567",
            "8-778-123-45-67",
            "+7 778 123 4567",
            "7781234567",
            "8 (778) 123-45-67",
            "8.778.123.45.67",
            "  +7 778 123 45 67 \n",
            "+7\u{a0}778\u{a0}123\u{a0}45\u{a0}67",
        ] {
            let phone = Phone::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(phone.e164(), "+77781234567", "{text}");
        }
    }

    #[test]
    fn every_mobile_code_is_accepted() {
        for code in MOBILE_CODES.iter().chain(&MORE_MOBILE_CODES) {
            let phone = Phone::parse(&format!("8{code}1234567")).expect(code);
            assert_eq!(phone.e164(), format!("+7{code}1234567"));
        }
    }

    #[test]
    fn landlines_and_gaps_in_the_mobile_list_are_landlines() {
        // 727 Almaty, 717 Astana, and codes between the mobile ranges.
        for code in [
            "727", "717", "712", "703", "704", "709", "746", "765", "770", "772", "774", "779",
            "786",
        ] {
            assert_eq!(
                Phone::parse(&format!("+7{code}1234567")),
                Err(PhoneError::Landline),
                "{code}"
            );
        }
    }

    #[test]
    fn foreign_numbers_are_not_kazakhstan() {
        assert_eq!(
            Phone::parse("+7 916 123 45 67"),
            Err(PhoneError::NotKazakhstan)
        );
        assert_eq!(
            Phone::parse("8 916 123 45 67"),
            Err(PhoneError::NotKazakhstan)
        );
        assert_eq!(Phone::parse("9161234567"), Err(PhoneError::NotKazakhstan));
        assert_eq!(
            Phone::parse("+998 90 123 45 67"),
            Err(PhoneError::NotKazakhstan)
        );
        assert_eq!(
            Phone::parse("+1 202 555 0100"),
            Err(PhoneError::NotKazakhstan)
        );
        assert_eq!(Phone::parse("97781234567"), Err(PhoneError::NotKazakhstan));
    }

    #[test]
    fn shape_errors_are_distinct() {
        assert_eq!(Phone::parse(""), Err(PhoneError::Empty));
        assert_eq!(Phone::parse("  "), Err(PhoneError::Empty));
        assert_eq!(Phone::parse("8 778 abc 45 67"), Err(PhoneError::NotANumber));
        assert_eq!(Phone::parse("+"), Err(PhoneError::NotANumber));
        assert_eq!(Phone::parse("--"), Err(PhoneError::NotANumber));
        assert_eq!(Phone::parse("8778+1234567"), Err(PhoneError::NotANumber));
        assert_eq!(Phone::parse("8 778 123 45 6"), Err(PhoneError::WrongLength));
        assert_eq!(
            Phone::parse("8 778 123 45 678"),
            Err(PhoneError::WrongLength)
        );
        assert_eq!(
            Phone::parse("+7 778 123 45 6"),
            Err(PhoneError::WrongLength)
        );
    }

    #[test]
    fn masked_as_the_memo_shows() {
        let phone = Phone::parse("+7 778 123 45 67").expect("valid");
        assert_eq!(phone.masked(), "8778*****");
        assert_eq!(phone.to_string(), "8778*****");
        assert_eq!(format!("{phone:?}"), "Phone(8778*****)");
    }

    #[test]
    fn serde_uses_e164_through_the_parser() {
        let phone = Phone::parse("8 701 000 00 00").expect("valid");
        let json = serde_json::to_string(&phone).expect("serialize");
        assert_eq!(json, "\"+77010000000\"");
        assert_eq!(
            serde_json::from_str::<Phone>(&json).expect("deserialize"),
            phone
        );
        assert!(serde_json::from_str::<Phone>("\"+77271234567\"").is_err());
    }

    fn mobile_code() -> impl Strategy<Value = String> {
        prop::sample::select(
            MOBILE_CODES
                .iter()
                .chain(&MORE_MOBILE_CODES)
                .copied()
                .collect::<Vec<_>>(),
        )
        .prop_map(str::to_owned)
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC{0,24}") {
            let _ = Phone::parse(&text);
        }

        #[test]
        fn phone_like_strings_never_panic(text in "[+0-9 ()\\-.]{0,20}") {
            if let Ok(phone) = Phone::parse(&text) {
                prop_assert_eq!(phone.e164().len(), 12);
                prop_assert!(phone.e164().starts_with("+77"));
            }
        }

        #[test]
        fn every_typing_gives_the_same_number(code in mobile_code(), rest in "[0-9]{7}", style in 0usize..5) {
            let expected = format!("+7{code}{rest}");
            let typed = match style {
                0 => format!("8 {code} {} {} {}", &rest[..3], &rest[3..5], &rest[5..]),
                1 => format!("+7({code}){rest}"),
                2 => format!("7{code}{rest}"),
                3 => format!("8-{code}-{}-{}-{}", &rest[..3], &rest[3..5], &rest[5..]),
                _ => format!("{code}{rest}"),
            };
            let phone = Phone::parse(&typed).expect("valid mobile");
            prop_assert_eq!(phone.e164(), expected.as_str());
            prop_assert_eq!(Phone::parse(phone.e164()), Ok(phone.clone()));
            prop_assert_eq!(phone.masked(), format!("8{code}*****"));
            let json = serde_json::to_string(&phone).expect("serialize");
            prop_assert_eq!(serde_json::from_str::<Phone>(&json).expect("deserialize"), phone);
        }
    }
}
