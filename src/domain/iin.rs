//! The depositor's individual identification number (ЖСН / ИИН): parsing, the control digit,
//! what the number tells (birth date, sex) and its masked form.
//!
//! An `Iin` exists only after its checks passed. Its `Debug` and `Display` print the masked
//! form, so a value that slips into a log line does not reveal the number or the birth date.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Weights of the second pass, used when the first pass gives 10 (domain.md).
const SECOND_PASS_WEIGHTS: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The depositor's sex, as digit 7 of the IIN records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Male,
    Female,
}

/// Why a text is not an IIN. Distinct variants so the user gets a precise, translated reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum IinError {
    #[error("the IIN is empty")]
    Empty,
    #[error("the IIN may contain only digits")]
    NotDigits,
    #[error("the IIN has 12 digits, not {len}")]
    WrongLength { len: usize },
    #[error("the 7th digit of the IIN must be 1 to 6")]
    BadCentury,
    #[error("the first six digits of the IIN are not a real date")]
    BadDate,
    #[error("the control digit of the IIN does not match")]
    BadChecksum,
}

/// A valid 12-digit IIN.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iin {
    digits: String,
    birth: NaiveDate,
    sex: Sex,
}

impl Iin {
    /// Parses what a user typed: surrounding whitespace is trimmed and whitespace between the
    /// digits is ignored (`880101 300123`); anything else but ASCII digits is refused.
    pub fn parse(input: &str) -> Result<Iin, IinError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(IinError::Empty);
        }
        let mut digits = [0u8; 12];
        let mut len = 0usize;
        for ch in trimmed.chars().filter(|c| !c.is_whitespace()) {
            let Some(d) = ch.to_digit(10).filter(|_| ch.is_ascii_digit()) else {
                return Err(IinError::NotDigits);
            };
            if let Some(slot) = digits.get_mut(len) {
                // A digit is below 10, so it fits in a byte.
                *slot = d as u8;
            }
            len += 1;
        }
        if len != 12 {
            return Err(IinError::WrongLength { len });
        }
        let (century, sex) = century_and_sex(digits[6]).ok_or(IinError::BadCentury)?;
        let birth = birth_date_of(&digits, century).ok_or(IinError::BadDate)?;
        match control_digit(&digits) {
            Some(c) if c == digits[11] => Ok(Iin {
                digits: digits.iter().map(|d| char::from(b'0' + d)).collect(),
                birth,
                sex,
            }),
            _ => Err(IinError::BadChecksum),
        }
    }

    /// Builds the IIN of a person born on `birth` with the given sex and serial number
    /// (0..=9999, digits 8–11). `None` when the serial is out of range, the year is outside
    /// 1800–2099, or this serial gives no valid control digit (both passes give 10).
    /// Used by the demo-data generator.
    pub fn from_parts(birth: NaiveDate, sex: Sex, serial: u32) -> Option<Iin> {
        if serial > 9999 {
            return None;
        }
        let century_digit: u8 = match (birth.year(), sex) {
            (1800..=1899, Sex::Male) => 1,
            (1800..=1899, Sex::Female) => 2,
            (1900..=1999, Sex::Male) => 3,
            (1900..=1999, Sex::Female) => 4,
            (2000..=2099, Sex::Male) => 5,
            (2000..=2099, Sex::Female) => 6,
            _ => return None,
        };
        let yy = birth.year().rem_euclid(100) as u32;
        let head = [
            yy / 10,
            yy % 10,
            birth.month() / 10,
            birth.month() % 10,
            birth.day() / 10,
            birth.day() % 10,
        ];
        let mut digits = [0u8; 12];
        for (slot, d) in digits.iter_mut().zip(head) {
            *slot = d as u8;
        }
        digits[6] = century_digit;
        let serial_digits = [
            serial / 1000,
            serial / 100 % 10,
            serial / 10 % 10,
            serial % 10,
        ];
        for (slot, d) in digits[7..11].iter_mut().zip(serial_digits) {
            *slot = d as u8;
        }
        digits[11] = control_digit(&digits)?;
        Some(Iin {
            digits: digits.iter().map(|d| char::from(b'0' + d)).collect(),
            birth,
            sex,
        })
    }

    /// The 12 raw digits. For storage and for the fund's registry only: never show or log it.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// The birth date encoded in digits 1–6 with the century from digit 7.
    pub fn birth_date(&self) -> NaiveDate {
        self.birth
    }

    /// The sex encoded in digit 7 (odd: male, even: female).
    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// `********0123`: the birth date and the serial's start are hidden (security.md).
    pub fn masked(&self) -> String {
        let tail = self.digits.get(8..).unwrap_or_default();
        format!("********{tail}")
    }
}

/// Digit 7: 1/2 the 1800s, 3/4 the 1900s, 5/6 the 2000s; odd is male, even female.
fn century_and_sex(digit: u8) -> Option<(i32, Sex)> {
    let century = match digit {
        1 | 2 => 1800,
        3 | 4 => 1900,
        5 | 6 => 2000,
        _ => return None,
    };
    let sex = if digit % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    };
    Some((century, sex))
}

fn birth_date_of(digits: &[u8; 12], century: i32) -> Option<NaiveDate> {
    let pair = |i: usize| u32::from(digits[i]) * 10 + u32::from(digits[i + 1]);
    let year = century + pair(0) as i32;
    NaiveDate::from_ymd_opt(year, pair(2), pair(4))
}

/// The control digit for the first 11 digits, or `None` when both passes give 10
/// (no valid IIN has these 11 digits).
fn control_digit(digits: &[u8; 12]) -> Option<u8> {
    let weighted = |weight: &dyn Fn(usize) -> u32| -> u32 {
        digits[..11]
            .iter()
            .enumerate()
            .map(|(i, d)| u32::from(*d) * weight(i))
            .sum::<u32>()
            % 11
    };
    let first = weighted(&|i| i as u32 + 1);
    let c = if first == 10 {
        weighted(&|i| SECOND_PASS_WEIGHTS[i])
    } else {
        first
    };
    // c < 10 here, so it fits in a byte.
    (c < 10).then_some(c as u8)
}

impl fmt::Debug for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iin({})", self.masked())
    }
}

impl fmt::Display for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl TryFrom<String> for Iin {
    type Error = IinError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Iin::parse(&value)
    }
}

impl From<Iin> for String {
    fn from(iin: Iin) -> String {
        iin.digits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date")
    }

    // 950512401233: digits 9 5 0 5 1 2 4 0 1 2 3, weights 1..11:
    // 9+10+0+20+5+12+28+0+9+20+33 = 146; 146 mod 11 = 146-143 = 3 = digit 12.
    // Digit 7 = 4: a woman born in the 1900s, on 1995-05-12.
    #[test]
    fn hand_checked_first_pass_iin() {
        let iin = Iin::parse("950512401233").expect("valid");
        assert_eq!(iin.as_str(), "950512401233");
        assert_eq!(iin.birth_date(), date(1995, 5, 12));
        assert_eq!(iin.sex(), Sex::Female);
    }

    // 000229500018: 0 0 0 2 2 9 5 0 0 0 1: 0+0+0+8+10+54+35+0+0+0+11 = 118;
    // 118 mod 11 = 118-110 = 8. Digit 7 = 5: a man born 2000-02-29 (2000 is a leap year).
    #[test]
    fn hand_checked_leap_day_in_2000() {
        let iin = Iin::parse("000229500018").expect("valid");
        assert_eq!(iin.birth_date(), date(2000, 2, 29));
        assert_eq!(iin.sex(), Sex::Male);
    }

    // 851231100459: 8 5 1 2 3 1 1 0 0 4 5: 8+10+3+8+15+6+7+0+0+40+55 = 152;
    // 152 mod 11 = 152-143 = 9. Digit 7 = 1: a man born 1885-12-31.
    #[test]
    fn hand_checked_1800s_iin() {
        let iin = Iin::parse("851231100459").expect("valid");
        assert_eq!(iin.birth_date(), date(1885, 12, 31));
        assert_eq!(iin.sex(), Sex::Male);
    }

    // 880101300123: 8 8 0 1 0 1 3 0 0 1 2, first pass:
    // 8+16+0+4+0+6+21+0+0+10+22 = 87; 87 mod 11 = 10, so the second pass with 3,4,...,11,1,2:
    // 24+32+0+6+0+8+27+0+0+1+4 = 102; 102 mod 11 = 102-99 = 3 = digit 12.
    #[test]
    fn hand_checked_second_pass_iin() {
        let iin = Iin::parse("880101300123").expect("valid");
        assert_eq!(iin.birth_date(), date(1988, 1, 1));
        assert_eq!(iin.sex(), Sex::Male);
        // The first pass's 10 is not accepted as a digit: 88010130012 + 0 is wrong.
        assert_eq!(Iin::parse("880101300120"), Err(IinError::BadChecksum));
    }

    // 88010130010x: first pass 8+16+0+4+0+6+21+0+0+10+0 = 65, 65 mod 11 = 10; second pass
    // 24+32+0+6+0+8+27+0+0+1+0 = 98, 98 mod 11 = 10 again: no last digit makes it valid.
    #[test]
    fn both_passes_ten_is_always_invalid() {
        for last in 0..=9 {
            let text = format!("88010130010{last}");
            assert_eq!(Iin::parse(&text), Err(IinError::BadChecksum), "{text}");
        }
        assert_eq!(Iin::from_parts(date(1988, 1, 1), Sex::Male, 10), None);
    }

    #[test]
    fn typing_variants_are_accepted() {
        for text in [
            "880101300123",
            "  880101300123\n",
            "880101 300123",
            "880 101 300 123",
            "\t880101\u{a0}300123 ",
        ] {
            assert_eq!(
                Iin::parse(text).map(|i| i.as_str().to_owned()),
                Ok("880101300123".into())
            );
        }
    }

    #[test]
    fn shape_errors_are_distinct() {
        assert_eq!(Iin::parse(""), Err(IinError::Empty));
        assert_eq!(Iin::parse("   "), Err(IinError::Empty));
        assert_eq!(Iin::parse("88010130012a"), Err(IinError::NotDigits));
        assert_eq!(Iin::parse("880101-300123"), Err(IinError::NotDigits));
        assert_eq!(
            Iin::parse("８８０１０１３００１２３"),
            Err(IinError::NotDigits)
        );
        assert_eq!(
            Iin::parse("88010130012"),
            Err(IinError::WrongLength { len: 11 })
        );
        assert_eq!(
            Iin::parse("8801013001234"),
            Err(IinError::WrongLength { len: 13 })
        );
    }

    #[test]
    fn century_digits_outside_one_to_six_are_refused() {
        for century in ['0', '7', '8', '9'] {
            let text = format!("880101{century}00123");
            assert_eq!(Iin::parse(&text), Err(IinError::BadCentury), "{text}");
        }
    }

    #[test]
    fn impossible_dates_are_refused() {
        // 31 February, month 13, day 00, 29 February 1900 (not a leap year) and 2001.
        for text in [
            "880231300123",
            "881301300123",
            "880100300123",
            "000229300123",
            "010229500123",
        ] {
            assert_eq!(Iin::parse(text), Err(IinError::BadDate), "{text}");
        }
    }

    #[test]
    fn masked_hides_the_birth_date_everywhere() {
        let iin = Iin::parse("880101300123").expect("valid");
        assert_eq!(iin.masked(), "********0123");
        assert_eq!(iin.to_string(), "********0123");
        let debug = format!("{iin:?}");
        assert!(!debug.contains("880101"), "{debug}");
        assert!(debug.contains("********0123"), "{debug}");
    }

    #[test]
    fn serde_uses_raw_digits_through_the_parser() {
        let iin = Iin::parse("950512401233").expect("valid");
        let json = serde_json::to_string(&iin).expect("serialize");
        assert_eq!(json, "\"950512401233\"");
        let back: Iin = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, iin);
        assert!(serde_json::from_str::<Iin>("\"950512401234\"").is_err());
        assert_eq!(
            serde_json::to_string(&Sex::Female).expect("sex"),
            "\"female\""
        );
    }

    #[test]
    fn from_parts_encodes_century_and_sex() {
        let iin = Iin::from_parts(date(1995, 5, 12), Sex::Female, 123).expect("valid serial");
        assert_eq!(iin.as_str(), "950512401233");
        let iin = Iin::from_parts(date(2003, 3, 3), Sex::Female, 1).expect("valid serial");
        assert_eq!(&iin.as_str()[..11], "03030360001");
        assert_eq!(Iin::from_parts(date(1799, 12, 31), Sex::Male, 1), None);
        assert_eq!(Iin::from_parts(date(2100, 1, 1), Sex::Male, 1), None);
        assert_eq!(Iin::from_parts(date(1990, 1, 1), Sex::Male, 10_000), None);
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (1800i32..=2099, 1u32..=366)
            .prop_filter_map("day of year", |(y, d)| NaiveDate::from_yo_opt(y, d))
    }

    fn any_sex() -> impl Strategy<Value = Sex> {
        prop_oneof![Just(Sex::Male), Just(Sex::Female)]
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC{0,30}") {
            let _ = Iin::parse(&text);
        }

        #[test]
        fn digit_strings_never_panic(text in "[0-9 ]{0,20}") {
            if let Ok(iin) = Iin::parse(&text) {
                prop_assert_eq!(iin.as_str(), text.replace(' ', ""));
            }
        }

        #[test]
        fn from_parts_round_trips(birth in any_date(), sex in any_sex(), serial in 0u32..=9999) {
            if let Some(iin) = Iin::from_parts(birth, sex, serial) {
                let back = Iin::parse(iin.as_str()).expect("from_parts builds valid IINs");
                prop_assert_eq!(back.birth_date(), birth);
                prop_assert_eq!(back.sex(), sex);
                prop_assert_eq!(&back, &iin);
                let spaced = format!(" {} {} ", &iin.as_str()[..6], &iin.as_str()[6..]);
                prop_assert_eq!(Iin::parse(&spaced), Ok(iin.clone()));
                let json = serde_json::to_string(&iin).expect("serialize");
                prop_assert_eq!(serde_json::from_str::<Iin>(&json).expect("deserialize"), iin);
            }
        }

        #[test]
        fn exactly_one_control_digit_is_valid(birth in any_date(), sex in any_sex(), serial in 0u32..=9999) {
            if let Some(iin) = Iin::from_parts(birth, sex, serial) {
                let head = &iin.as_str()[..11];
                let valid: Vec<char> = ('0'..='9')
                    .filter(|d| Iin::parse(&format!("{head}{d}")).is_ok())
                    .collect();
                prop_assert_eq!(valid.len(), 1);
                prop_assert!(iin.masked().ends_with(&iin.as_str()[8..]));
                prop_assert!(!iin.masked().contains(&iin.as_str()[..6]));
            }
        }
    }
}
