//! Scrubbing personal data out of text before it reaches a log line: masking digit strings and
//! redacting anything in free user text that looks like an IIN, a phone number or an e-mail.
//!
//! The redaction errs on the side of masking: a long run of digits that was in fact a date and
//! a time is masked too, because a log line loses little and a leaked IIN cannot be taken back.

use super::email::mask_parts;
use super::phone::Phone;

/// Separator characters that may sit between digit groups of one number (`8 (778) 123-45-67`).
const NUMBER_SEPARATORS: &str = " \u{a0}\u{202f}-.()";
/// At most this many separator characters between two digit groups (`) ` in `(778) 123`).
const MAX_SEPARATOR_LEN: usize = 2;
/// Fewer digits than this is an amount, a count or a short code, left as it is.
const MIN_SENSITIVE_DIGITS: usize = 10;
const IIN_DIGITS: usize = 12;

/// Characters besides letters and digits that may be part of an e-mail's local part.
const EMAIL_LOCAL_SPECIALS: &str = "!#$%&'*+/=?^_`{|}~-.";

/// Replaces every ASCII digit of `s` with `*` except the last `keep` digits; other characters
/// stay, so `mask_digits_tail("+7 778 123 45 67", 2)` is `+* *** *** ** 67`.
pub fn mask_digits_tail(s: &str, keep: usize) -> String {
    let total = s.chars().filter(char::is_ascii_digit).count();
    let hide = total.saturating_sub(keep);
    let mut seen = 0usize;
    s.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen <= hide { '*' } else { c }
            } else {
                c
            }
        })
        .collect()
}

/// Masks what looks like personal data in free text: e-mail addresses (`Al*****@ma****`),
/// 12-digit runs as IINs (`********0123`), Kazakh mobile numbers (`8778*****`) and any other
/// run of 10 or more digits (all but the last 2–4 digits starred).
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut done = 0usize;
    for (start, end) in email_spans(text) {
        redact_numbers(&text[done..start], &mut out);
        let (local, domain) = text[start..end].split_once('@').unwrap_or_default();
        out.push_str(&mask_parts(local, domain));
        done = end;
    }
    redact_numbers(&text[done..], &mut out);
    out
}

/// Byte ranges of things shaped like `local@domain`, in order, not overlapping.
fn email_spans(text: &str) -> Vec<(usize, usize)> {
    let is_local = |c: char| c.is_alphanumeric() || EMAIL_LOCAL_SPECIALS.contains(c);
    let is_domain = |c: char| c.is_alphanumeric() || c == '-' || c == '.';
    let mut spans = Vec::new();
    let mut floor = 0usize;
    for (at, _) in text.match_indices('@') {
        if at < floor {
            continue;
        }
        let before = &text[floor..at];
        let local_len: usize = before
            .chars()
            .rev()
            .take_while(|c| is_local(*c))
            .map(char::len_utf8)
            .sum();
        let local = before[before.len() - local_len..].trim_start_matches('.');
        let after = &text[at + 1..];
        let domain_len: usize = after
            .chars()
            .take_while(|c| is_domain(*c))
            .map(char::len_utf8)
            .sum();
        // A full stop or a dash right after an address ends the sentence, not the domain.
        let domain = after[..domain_len].trim_end_matches(['.', '-']);
        if local.is_empty() || domain.is_empty() {
            continue;
        }
        let start = at - local.len();
        let end = at + 1 + domain.len();
        spans.push((start, end));
        floor = end;
    }
    spans
}

/// Copies `text` to `out`, masking runs of digits that may be an IIN or a phone number.
fn redact_numbers(text: &str, out: &mut String) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0usize;
    let mut copied = 0usize;
    while i < chars.len() {
        let (at, c) = chars[i];
        let plus_then_digit = c == '+'
            && chars
                .get(i + 1)
                .is_some_and(|(_, next)| next.is_ascii_digit());
        if !(c.is_ascii_digit() || plus_then_digit) {
            i += 1;
            continue;
        }
        let end_index = number_run_end(&chars, i);
        let end = chars.get(end_index).map_or(text.len(), |(byte, _)| *byte);
        out.push_str(&text[copied..at]);
        out.push_str(&mask_number_run(&text[at..end]));
        copied = end;
        i = end_index;
    }
    out.push_str(&text[copied..]);
}

/// The index just after a number starting at `start`: digit groups joined by short separators.
fn number_run_end(chars: &[(usize, char)], start: usize) -> usize {
    let mut i = start + 1;
    let mut end = i;
    loop {
        while chars.get(i).is_some_and(|(_, c)| c.is_ascii_digit()) {
            i += 1;
        }
        end = end.max(i);
        let separators = chars[i.min(chars.len())..]
            .iter()
            .take(MAX_SEPARATOR_LEN)
            .take_while(|(_, c)| NUMBER_SEPARATORS.contains(*c))
            .count();
        match chars.get(i + separators) {
            Some((_, c)) if separators > 0 && c.is_ascii_digit() => i += separators,
            _ => return end,
        }
    }
}

/// The masked form of one number run. A run holding a complete long number next to others
/// (`880101300123 5`) is masked group by group so each keeps its own shape.
fn mask_number_run(run: &str) -> String {
    let groups: Vec<&str> = run
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    if groups.len() > 1 && groups.iter().any(|g| g.len() >= MIN_SENSITIVE_DIGITS) {
        let mut out = String::with_capacity(run.len());
        let mut rest = run;
        while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
            out.push_str(&rest[..start]);
            let digits = &rest[start..];
            let len = digits
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(digits.len());
            out.push_str(&mask_one_number(&digits[..len]));
            rest = &digits[len..];
        }
        out.push_str(rest);
        return out;
    }
    mask_one_number(run)
}

fn mask_one_number(run: &str) -> String {
    let digits: String = run.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        n if n < MIN_SENSITIVE_DIGITS => run.to_owned(),
        IIN_DIGITS => format!("********{}", &digits[IIN_DIGITS - 4..]),
        10 | 11 => match Phone::parse(run) {
            Ok(phone) => phone.masked(),
            Err(_) => mask_digits_tail(run, 2),
        },
        _ => mask_digits_tail(run, 4),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn mask_digits_tail_keeps_the_last_digits() {
        assert_eq!(mask_digits_tail("880101300123", 4), "********0123");
        assert_eq!(mask_digits_tail("+7 778 123 45 67", 2), "+* *** *** ** 67");
        assert_eq!(mask_digits_tail("123", 4), "123");
        assert_eq!(mask_digits_tail("code 4821", 0), "code ****");
        assert_eq!(mask_digits_tail("", 3), "");
    }

    #[test]
    fn iins_are_masked_in_free_text() {
        assert_eq!(redact("my IIN is 880101300123."), "my IIN is ********0123.");
        assert_eq!(redact("ЖСН: 880101 300123"), "ЖСН: ********0123");
        // Any 12-digit run, valid control digit or not.
        assert_eq!(redact("id=880101300120"), "id=********0120");
    }

    #[test]
    fn phones_are_masked_in_free_text() {
        assert_eq!(
            redact("call +7 (778) 123-45-67 please"),
            "call 8778***** please"
        );
        assert_eq!(redact("тел 87781234567"), "тел 8778*****");
        assert_eq!(redact("7781234567, thanks"), "8778*****, thanks");
        // Not a Kazakh mobile: still masked, only the last two digits stay.
        assert_eq!(redact("+7 916 123 45 67"), "+* *** *** ** 67");
    }

    #[test]
    fn emails_are_masked_in_free_text() {
        assert_eq!(
            redact("write to Aliya@mail.kz."),
            "write to Al*****@ma****."
        );
        assert_eq!(redact("(a.b+c@sub.example.com)"), "(a.*****@su****)");
        assert_eq!(
            redact("both a@b.kz and x@y.kz"),
            "both a*****@b.**** and x*****@y.****"
        );
        assert_eq!(redact("hi @durov"), "hi @durov");
    }

    #[test]
    fn ordinary_numbers_are_left_alone() {
        for text in [
            "I have 150 000 ₸",
            "code 123456",
            "on 2024-01-15",
            "+7",
            "5 kids",
            "",
        ] {
            assert_eq!(redact(text), text);
        }
    }

    #[test]
    fn a_long_number_next_to_a_short_one_keeps_each_shape() {
        assert_eq!(redact("880101300123 5 kids"), "********0123 5 kids");
        assert_eq!(redact("87781234567 880101300123"), "8778***** ********0123");
    }

    #[test]
    fn longer_runs_keep_only_four_digits() {
        assert_eq!(
            redact("card 4400 4301 2345 6789"),
            "card **** **** **** 6789"
        );
    }

    proptest! {
        #[test]
        fn redact_never_panics(text in "\\PC{0,60}") {
            let _ = redact(&text);
        }

        #[test]
        fn no_ten_digit_run_survives(text in "[0-9 +()@a-z.-]{0,60}") {
            let redacted = redact(&text);
            let longest = redacted
                .split(|c: char| !c.is_ascii_digit())
                .map(str::len)
                .max()
                .unwrap_or(0);
            prop_assert!(longest < MIN_SENSITIVE_DIGITS, "{} -> {}", text, redacted);
        }

        #[test]
        fn embedded_iin_never_shows_its_birth_date(
            before in "[a-zA-Zа-я ,.:]{0,15}",
            iin in "[0-9]{6}[1-6][0-9]{5}",
            after in "[a-zA-Zа-я ,.:]{0,15}",
        ) {
            let redacted = redact(&format!("{before} {iin} {after}"));
            prop_assert!(!redacted.contains(&iin[..6]), "{}", redacted);
            let expected = format!("********{}", &iin[8..]);
            prop_assert!(redacted.contains(&expected), "{}", redacted);
        }

        #[test]
        fn mask_digits_tail_keeps_length_and_tail(s in "[0-9 +-]{0,20}", keep in 0usize..6) {
            let masked = mask_digits_tail(&s, keep);
            prop_assert_eq!(masked.chars().count(), s.chars().count());
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            let shown: String = masked.chars().filter(char::is_ascii_digit).collect();
            let tail_start = digits.len().saturating_sub(keep);
            prop_assert_eq!(shown, &digits[tail_start..]);
        }
    }
}
