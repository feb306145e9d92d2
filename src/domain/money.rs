//! Amounts of tenge kept as whole tiyn (100 tiyn = 1 tenge): parsing what users type,
//! overflow-checked arithmetic, and formatting per language (`1 234 567,89 ₸`).
//!
//! No operation here panics: sums and differences are checked and return `Option`.

use std::iter::Sum;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::lang::Lang;

const TIYN_PER_TENGE: i64 = 100;

/// U+202F NARROW NO-BREAK SPACE: the "thin space" of domain.md that also keeps Telegram from
/// breaking a number across lines.
const NARROW_NBSP: char = '\u{202F}';
/// U+00A0 NO-BREAK SPACE between the number and `₸`, so the sign never wraps alone.
const NBSP: char = '\u{A0}';

/// Currency words users put after an amount, lowercase (the input is lowercased first).
const CURRENCY_SUFFIXES: [&str; 5] = ["₸", "тенге", "тг.", "тг", "kzt"];

/// Why a text is not an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("the amount is empty")]
    Empty,
    #[error("the amount is not a number")]
    NotANumber,
    #[error("the amount cannot be negative")]
    Negative,
    #[error("an amount has at most two digits after the decimal separator")]
    TooManyDecimals,
    #[error("thousands are grouped by three digits, as in 1 234 567")]
    BadGrouping,
    #[error("the amount is too large")]
    Overflow,
}

/// An amount in tiyn. May be negative when it results from arithmetic (an outflow in a
/// statement); `parse` only accepts what a user may enter, which is never negative.
/// Serialised as the integer number of tiyn.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money {
    tiyn: i64,
}

impl Money {
    pub const ZERO: Money = Money { tiyn: 0 };

    pub fn from_tiyn(tiyn: i64) -> Money {
        Money { tiyn }
    }

    /// `None` when `tenge` × 100 does not fit in an `i64`.
    pub fn from_tenge(tenge: i64) -> Option<Money> {
        tenge.checked_mul(TIYN_PER_TENGE).map(Money::from_tiyn)
    }

    pub fn tiyn(self) -> i64 {
        self.tiyn
    }

    pub fn is_negative(self) -> bool {
        self.tiyn < 0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.tiyn.checked_add(other.tiyn).map(Money::from_tiyn)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.tiyn.checked_sub(other.tiyn).map(Money::from_tiyn)
    }

    pub fn checked_neg(self) -> Option<Money> {
        self.tiyn.checked_neg().map(Money::from_tiyn)
    }

    /// The total, or `None` on overflow. Same as `iter.sum::<Option<Money>>()`.
    pub fn checked_sum<I: IntoIterator<Item = Money>>(amounts: I) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, |total, amount| total.checked_add(amount))
    }

    /// Parses what users type: `150000`, `150 000`, `150 000,50`, `150000.5`,
    /// `1 234 567,89`, `1,234,567.89`, `1.234.567,89`, optionally followed by `₸`, `тг`,
    /// `тенге` or `KZT`.
    ///
    /// A lone `,` or `.` is the decimal separator, so `1,500` is refused (three decimals)
    /// rather than guessed to be one and a half thousand: an amount is never misread.
    /// When both appear, the last one is the decimal separator and the other groups
    /// thousands; one kind appearing several times groups thousands.
    pub fn parse(input: &str) -> Result<Money, MoneyError> {
        let lowered = input.trim().to_lowercase();
        if lowered.is_empty() {
            return Err(MoneyError::Empty);
        }
        let number = strip_currency(&lowered);
        let (negative, magnitude) = match number.strip_prefix(['-', '\u{2212}']) {
            Some(rest) => (true, rest.trim_start()),
            None => (false, number),
        };
        let tiyn = parse_magnitude(magnitude)?;
        if negative {
            return Err(MoneyError::Negative);
        }
        Ok(Money { tiyn })
    }

    /// `1 234 567,89 ₸` in Kazakh and Russian (U+202F groups thousands), `1,234,567.89 ₸` in
    /// English. Always two decimals; a negative amount starts with ASCII `-`.
    pub fn format(self, lang: Lang) -> String {
        let (group, decimal) = match lang {
            Lang::Kk | Lang::Ru => (NARROW_NBSP, ','),
            Lang::En => (',', '.'),
        };
        let magnitude = self.tiyn.unsigned_abs();
        let whole = (magnitude / 100).to_string();
        let fraction = magnitude % 100;
        let mut out = String::with_capacity(whole.len() * 2 + 8);
        if self.tiyn < 0 {
            out.push('-');
        }
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                out.push(group);
            }
            out.push(digit);
        }
        out.push(decimal);
        out.push_str(&format!("{fraction:02}{NBSP}₸"));
        out
    }
}

fn strip_currency(text: &str) -> &str {
    CURRENCY_SUFFIXES
        .iter()
        .find_map(|suffix| text.strip_suffix(suffix))
        .unwrap_or(text)
        .trim_end()
}

/// Splits at the decimal separator (see `Money::parse`) and returns the amount in tiyn.
fn parse_magnitude(text: &str) -> Result<i64, MoneyError> {
    if text.is_empty() {
        return Err(MoneyError::NotANumber);
    }
    if !text
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.' || c.is_whitespace())
    {
        return Err(MoneyError::NotANumber);
    }
    let (decimal_at, group_mark) = decimal_separator(text)?;
    let (whole_text, fraction_text) = match decimal_at {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let whole = parse_whole(whole_text, group_mark)?;
    let fraction = match fraction_text {
        Some(f) => parse_fraction(f)?,
        None => 0,
    };
    whole
        .checked_mul(TIYN_PER_TENGE)
        .and_then(|t| t.checked_add(fraction))
        .ok_or(MoneyError::Overflow)
}

/// The byte position of the decimal separator, if any, and the character grouping thousands.
fn decimal_separator(text: &str) -> Result<(Option<usize>, Option<char>), MoneyError> {
    let count = |mark: char| text.matches(mark).count();
    let (commas, dots) = (count(','), count('.'));
    let last_comma = text.rfind(',');
    let last_dot = text.rfind('.');
    match (last_comma, last_dot) {
        (None, None) => Ok((None, None)),
        (Some(at), None) if commas == 1 => Ok((Some(at), None)),
        (None, Some(at)) if dots == 1 => Ok((Some(at), None)),
        (Some(_), None) => Ok((None, Some(','))),
        (None, Some(_)) => Ok((None, Some('.'))),
        (Some(comma), Some(dot)) => {
            let (at, decimal_count, group) = if comma > dot {
                (comma, commas, '.')
            } else {
                (dot, dots, ',')
            };
            if decimal_count == 1 {
                Ok((Some(at), Some(group)))
            } else {
                // `1.234,56,7`: no reading of this is an amount.
                Err(MoneyError::NotANumber)
            }
        }
    }
}

/// The whole tenge: digits, optionally grouped by three with spaces or the grouping mark.
fn parse_whole(text: &str, group_mark: Option<char>) -> Result<i64, MoneyError> {
    if text.is_empty() {
        // `,50`: a decimal separator with nothing before it.
        return Err(MoneyError::NotANumber);
    }
    let mut groups: Vec<&str> = Vec::new();
    let mut rest = text;
    loop {
        let end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        groups.push(&rest[..end]);
        rest = &rest[end..];
        if rest.is_empty() {
            break;
        }
        rest = skip_group_separator(rest, group_mark)?;
    }
    let grouped = groups.len() > 1;
    let mut whole: i64 = 0;
    for (i, group) in groups.iter().enumerate() {
        let fits = match (grouped, i) {
            (false, _) => !group.is_empty(),
            (true, 0) => (1..=3).contains(&group.len()),
            (true, _) => group.len() == 3,
        };
        if !fits {
            return Err(MoneyError::BadGrouping);
        }
        for digit in group.bytes() {
            whole = whole
                .checked_mul(10)
                .and_then(|w| w.checked_add(i64::from(digit - b'0')))
                .ok_or(MoneyError::Overflow)?;
        }
    }
    Ok(whole)
}

/// Skips one separator between thousands: a run of whitespace or one grouping mark.
fn skip_group_separator(text: &str, group_mark: Option<char>) -> Result<&str, MoneyError> {
    let after_spaces = text.trim_start();
    if after_spaces.len() < text.len() {
        return Ok(after_spaces);
    }
    match (group_mark, text.chars().next()) {
        (Some(mark), Some(c)) if c == mark => Ok(&text[c.len_utf8()..]),
        _ => Err(MoneyError::BadGrouping),
    }
}

/// One or two digits after the separator, as tiyn (`5` is 50 tiyn, `05` is 5).
fn parse_fraction(text: &str) -> Result<i64, MoneyError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MoneyError::NotANumber);
    }
    let digits: Vec<i64> = text.bytes().map(|b| i64::from(b - b'0')).collect();
    match digits.as_slice() {
        [tens] => Ok(tens * 10),
        [tens, units] => Ok(tens * 10 + units),
        _ => Err(MoneyError::TooManyDecimals),
    }
}

impl Sum<Money> for Option<Money> {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Option<Money> {
        Money::checked_sum(iter)
    }
}

impl<'a> Sum<&'a Money> for Option<Money> {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Option<Money> {
        Money::checked_sum(iter.copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tiyn(text: &str) -> Result<i64, MoneyError> {
        Money::parse(text).map(Money::tiyn)
    }

    #[test]
    fn what_users_type_parses() {
        let cases = [
            ("150000", 15_000_000),
            ("150 000", 15_000_000),
            ("150 000,50", 15_000_050),
            ("150000.5", 15_000_050),
            ("1 234 567,89", 123_456_789),
            ("1\u{202F}234\u{202F}567,89", 123_456_789),
            ("1\u{a0}234\u{a0}567,89", 123_456_789),
            ("1,234,567.89", 123_456_789),
            ("1.234.567,89", 123_456_789),
            ("1,234,567", 123_456_700),
            ("150000 ₸", 15_000_000),
            ("150 000₸", 15_000_000),
            ("150 000 тг", 15_000_000),
            ("150 000 тг.", 15_000_000),
            ("150 000 ТГ", 15_000_000),
            ("150000 KZT", 15_000_000),
            ("150000 kzt", 15_000_000),
            ("5 тенге", 500),
            ("0,05", 5),
            ("0", 0),
            ("  42  ", 4_200),
            ("007", 700),
        ];
        for (text, expected) in cases {
            assert_eq!(tiyn(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn refusals_are_distinct() {
        let cases = [
            ("", MoneyError::Empty),
            ("  ", MoneyError::Empty),
            ("₸", MoneyError::NotANumber),
            ("abc", MoneyError::NotANumber),
            ("12a", MoneyError::NotANumber),
            ("$100", MoneyError::NotANumber),
            (",50", MoneyError::NotANumber),
            ("100,", MoneyError::NotANumber),
            ("1.234,56,7", MoneyError::NotANumber),
            ("+100", MoneyError::NotANumber),
            ("-5", MoneyError::Negative),
            ("−5 ₸", MoneyError::Negative),
            ("- 1 000,50", MoneyError::Negative),
            ("1,500", MoneyError::TooManyDecimals),
            ("10.555", MoneyError::TooManyDecimals),
            ("15 00", MoneyError::BadGrouping),
            ("1 50000", MoneyError::BadGrouping),
            ("1234 567", MoneyError::BadGrouping),
            ("1,23,456", MoneyError::BadGrouping),
            ("1 .234.567", MoneyError::BadGrouping),
            ("99999999999999999999", MoneyError::Overflow),
            ("92 233 720 368 547 758,08", MoneyError::Overflow),
        ];
        for (text, error) in cases {
            assert_eq!(tiyn(text), Err(error), "{text}");
        }
        assert_eq!(tiyn("92 233 720 368 547 758,07"), Ok(i64::MAX));
    }

    #[test]
    fn formats_per_language() {
        let amount = Money::from_tiyn(123_456_789);
        assert_eq!(amount.format(Lang::Kk), "1\u{202F}234\u{202F}567,89\u{a0}₸");
        assert_eq!(amount.format(Lang::Ru), "1\u{202F}234\u{202F}567,89\u{a0}₸");
        assert_eq!(amount.format(Lang::En), "1,234,567.89\u{a0}₸");
        assert_eq!(Money::ZERO.format(Lang::En), "0.00\u{a0}₸");
        assert_eq!(Money::from_tiyn(5).format(Lang::Kk), "0,05\u{a0}₸");
        assert_eq!(
            Money::from_tiyn(100_000).format(Lang::Ru),
            "1\u{202F}000,00\u{a0}₸"
        );
        assert_eq!(Money::from_tiyn(99_999).format(Lang::En), "999.99\u{a0}₸");
        assert_eq!(
            Money::from_tiyn(-150_000).format(Lang::En),
            "-1,500.00\u{a0}₸"
        );
        assert_eq!(
            Money::from_tiyn(i64::MIN).format(Lang::En),
            "-92,233,720,368,547,758.08\u{a0}₸"
        );
    }

    #[test]
    fn constructors_and_arithmetic_are_checked() {
        assert_eq!(Money::from_tenge(1_500).map(Money::tiyn), Some(150_000));
        assert_eq!(Money::from_tenge(i64::MAX / 10), None);
        let a = Money::from_tiyn(250);
        let b = Money::from_tiyn(100);
        assert_eq!(a.checked_add(b), Some(Money::from_tiyn(350)));
        assert_eq!(b.checked_sub(a), Some(Money::from_tiyn(-150)));
        assert!(b.checked_sub(a).is_some_and(Money::is_negative));
        assert_eq!(
            Money::from_tiyn(i64::MAX).checked_add(Money::from_tiyn(1)),
            None
        );
        assert_eq!(
            Money::from_tiyn(i64::MIN).checked_sub(Money::from_tiyn(1)),
            None
        );
        assert_eq!(Money::from_tiyn(i64::MIN).checked_neg(), None);
        let total: Option<Money> = [a, b, b].iter().sum();
        assert_eq!(total, Some(Money::from_tiyn(450)));
        let overflow: Option<Money> = [Money::from_tiyn(i64::MAX), b].into_iter().sum();
        assert_eq!(overflow, None);
        assert_eq!(Money::checked_sum([]), Some(Money::ZERO));
    }

    #[test]
    fn serde_is_integer_tiyn() {
        let amount = Money::from_tiyn(15_000_050);
        assert_eq!(
            serde_json::to_string(&amount).expect("serialize"),
            "15000050"
        );
        assert_eq!(
            serde_json::from_str::<Money>("15000050").expect("deserialize"),
            amount
        );
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC{0,30}") {
            let _ = Money::parse(&text);
        }

        #[test]
        fn number_like_strings_never_panic(text in "[-0-9 ,.₸]{0,30}") {
            if let Ok(amount) = Money::parse(&text) {
                prop_assert!(!amount.is_negative());
            }
        }

        #[test]
        fn formatted_amounts_parse_back(tiyn in 0i64..=i64::MAX) {
            let amount = Money::from_tiyn(tiyn);
            for lang in Lang::ALL {
                let shown = amount.format(lang);
                prop_assert_eq!(Money::parse(&shown), Ok(amount), "{}", shown);
            }
        }

        #[test]
        fn plain_and_grouped_digits_agree(tenge in 0i64..1_000_000_000_000, fraction in 0i64..100) {
            let plain = format!("{tenge}.{fraction:02}");
            let expected = Money::from_tiyn(tenge * 100 + fraction);
            prop_assert_eq!(Money::parse(&plain), Ok(expected));
            let spaced = Money::from_tiyn(tenge * 100 + fraction).format(Lang::Ru).replace('\u{202F}', " ");
            prop_assert_eq!(Money::parse(&spaced), Ok(expected));
        }

        #[test]
        fn negative_amounts_format_with_a_minus(tiyn in i64::MIN..0) {
            let shown = Money::from_tiyn(tiyn).format(Lang::Kk);
            prop_assert!(shown.starts_with('-'));
            prop_assert_eq!(Money::parse(&shown), Err(MoneyError::Negative));
        }

        #[test]
        fn checked_ops_match_integers(a in any::<i64>(), b in any::<i64>()) {
            let (x, y) = (Money::from_tiyn(a), Money::from_tiyn(b));
            prop_assert_eq!(x.checked_add(y).map(Money::tiyn), a.checked_add(b));
            prop_assert_eq!(x.checked_sub(y).map(Money::tiyn), a.checked_sub(b));
        }
    }
}
