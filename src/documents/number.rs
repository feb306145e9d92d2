//! Document numbers: `ZS-` + 10 symbols of Crockford's base32 drawn from the operating
//! system's random generator (50 bits: not guessable) + 1 check symbol (Luhn mod 32: any one
//! mistyped symbol and any swap of two neighbours is caught before the registry is asked).
//!
//! What people type is forgiven: case, spaces and dashes, Crockford's aliases (`O` for `0`,
//! `I`/`L` for `1`), Cyrillic letters that look like Latin ones (a Russian keyboard layout),
//! and a missing `ZS` prefix.

use rand::TryRng as _;
use rand::rngs::SysRng;

/// The prefix of every number.
pub const PREFIX: &str = "ZS";
/// Crockford's base32: digits and capitals without I, L, O, U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RANDOM_SYMBOLS: usize = 10;
const SYMBOLS: usize = RANDOM_SYMBOLS + 1;

/// The operating system's random generator failed (it practically never does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the operating system's random generator failed")]
pub struct RandomUnavailable;

/// A fresh number, e.g. `ZS-8K2QW7XD4M9`.
pub fn generate() -> Result<String, RandomUnavailable> {
    let mut bytes = [0u8; RANDOM_SYMBOLS];
    SysRng
        .try_fill_bytes(&mut bytes)
        .map_err(|_| RandomUnavailable)?;
    // 256 is a multiple of 32, so `% 32` keeps every symbol equally likely.
    let values: Vec<u8> = bytes.iter().map(|b| b % 32).collect();
    Ok(from_values(&values))
}

fn from_values(values: &[u8]) -> String {
    let mut out = String::with_capacity(PREFIX.len() + 1 + SYMBOLS);
    out.push_str(PREFIX);
    out.push('-');
    for v in values {
        out.push(char::from(ALPHABET[usize::from(*v % 32)]));
    }
    out.push(char::from(ALPHABET[usize::from(check_value(values))]));
    out
}

/// Luhn mod 32 over the symbol values: the value that makes the weighted sum a multiple of 32.
fn check_value(values: &[u8]) -> u8 {
    let sum = luhn_sum(values.iter().rev(), 2);
    ((32 - sum % 32) % 32) as u8
}

/// Weights alternate 2, 1, ... from the right; a doubled value is folded back into base 32.
fn luhn_sum<'a>(values_from_right: impl Iterator<Item = &'a u8>, first_factor: u32) -> u32 {
    let mut factor = first_factor;
    let mut sum = 0u32;
    for v in values_from_right {
        let addend = factor * u32::from(*v);
        sum += addend / 32 + addend % 32;
        factor = if factor == 2 { 1 } else { 2 };
    }
    sum
}

/// The value of a typed symbol, with Crockford's aliases and Cyrillic look-alikes.
fn value_of(c: char) -> Option<u8> {
    let latin = match c.to_uppercase().next().unwrap_or(c) {
        'O' | 'О' => '0',
        'I' | 'L' | 'І' => '1',
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'Х' => 'X',
        'З' => '3',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|a| char::from(*a) == latin)
        .map(|p| p as u8)
}

/// The canonical form of a typed number (`ZS-` + 11 symbols), or `None` when it is not a
/// well-formed number with a correct check symbol.
pub fn normalize(input: &str) -> Option<String> {
    let compact: Vec<char> = input
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '‐' | '–' | '—' | '_' | '.'))
        .collect();
    if compact.len() > 32 {
        return None;
    }
    let body: &[char] = match compact.len() {
        n if n == SYMBOLS => &compact,
        n if n == SYMBOLS + PREFIX.len() => {
            let prefix: String = compact[..PREFIX.len()]
                .iter()
                .map(|c| match c.to_uppercase().next().unwrap_or(*c) {
                    'З' => 'Z',
                    'С' => 'S',
                    other => other,
                })
                .collect();
            if prefix != PREFIX {
                return None;
            }
            &compact[PREFIX.len()..]
        }
        _ => return None,
    };
    let values: Vec<u8> = body.iter().map(|c| value_of(*c)).collect::<Option<_>>()?;
    if luhn_sum(values.iter().rev(), 1) % 32 != 0 {
        return None;
    }
    Some(from_values(&values[..RANDOM_SYMBOLS]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn generated_numbers_have_the_shape_and_are_valid() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 3 + SYMBOLS);
        assert!(a.starts_with("ZS-"));
        assert_eq!(normalize(&a).as_deref(), Some(a.as_str()));
    }

    #[test]
    fn typing_variations_normalise() {
        let n = from_values(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        let body = &n[3..];
        assert_eq!(normalize(&n.to_lowercase()).as_deref(), Some(n.as_str()));
        assert_eq!(
            normalize(&format!(" zs {body} ")).as_deref(),
            Some(n.as_str())
        );
        assert_eq!(normalize(body).as_deref(), Some(n.as_str()));
        let spaced: String = body
            .chars()
            .enumerate()
            .flat_map(|(i, c)| [if i % 4 == 0 { '-' } else { '\u{200B}' }, c])
            .filter(|c| *c != '\u{200B}')
            .collect();
        assert_eq!(
            normalize(&format!("ZS{spaced}")).as_deref(),
            Some(n.as_str())
        );
        // `0` typed as the letter O, `1` as I or l.
        let aliased = n.replacen('0', "O", 1).replacen('1', "l", 1);
        assert_eq!(normalize(&aliased).as_deref(), Some(n.as_str()));
        // Cyrillic З and С for the prefix.
        assert_eq!(
            normalize(&format!("ЗС-{body}")).as_deref(),
            Some(n.as_str())
        );
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for bad in [
            "",
            "ZS-",
            "ZS-123",
            "XX-0123456789A",
            "ZS-0123456789AB",
            "ZS-01234567U9A",
        ] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
        assert_eq!(normalize(&"9".repeat(1000)), None);
    }

    proptest! {
        #[test]
        fn any_single_mistyped_symbol_is_caught(
            values in proptest::collection::vec(0u8..32, RANDOM_SYMBOLS),
            at in 0usize..SYMBOLS,
            delta in 1u8..32,
        ) {
            let n = from_values(&values);
            let mut symbols: Vec<char> = n[3..].chars().collect();
            let old = value_of(symbols[at]).unwrap();
            symbols[at] = char::from(ALPHABET[usize::from((old + delta) % 32)]);
            let typo: String = symbols.into_iter().collect();
            prop_assert_eq!(normalize(&typo), None);
        }

        #[test]
        fn swapping_two_different_neighbours_is_caught(
            values in proptest::collection::vec(0u8..32, RANDOM_SYMBOLS),
            at in 0usize..SYMBOLS - 1,
        ) {
            let n = from_values(&values);
            let mut symbols: Vec<char> = n[3..].chars().collect();
            prop_assume!(symbols[at] != symbols[at + 1]);
            symbols.swap(at, at + 1);
            let swapped: String = symbols.into_iter().collect();
            // Luhn mod N misses exactly one transposition pair: (0, N-1) ↔ the folded
            // doubling maps both to the same weighted sum.
            let pair = (value_of(n[3..].chars().nth(at).unwrap()).unwrap(), value_of(n[3..].chars().nth(at + 1).unwrap()).unwrap());
            prop_assume!(pair != (0, 31) && pair != (31, 0));
            prop_assert_eq!(normalize(&swapped), None);
        }

        #[test]
        fn normalize_never_panics(text in "\\PC{0,40}") {
            let _ = normalize(&text);
        }
    }
}
