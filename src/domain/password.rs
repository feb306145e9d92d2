//! Passwords: the rules for a new one (NIST SP 800-63B: length, no composition rules, not a
//! known common password, not the IIN or the birth date) and a type that keeps the secret
//! out of logs.

use std::fmt;

use super::Iin;

pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 64;

/// Why a new password is refused; each has its own translated explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("shorter than {MIN_CHARS} characters")]
    TooShort,
    #[error("longer than {MAX_CHARS} characters")]
    TooLong,
    #[error("a commonly used password")]
    Common,
    #[error("equal to the IIN")]
    SameAsIin,
    #[error("equal to the birth date")]
    SameAsBirthDate,
}

/// A password as typed, for checking. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(raw: &str) -> Password {
        Password(raw.to_string())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A password that passed the rules for the depositor it is meant for.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    /// Checks a new password for the depositor with this IIN. Any Unicode is accepted, and
    /// nothing is trimmed or truncated: what is checked is what will be hashed.
    pub fn parse(raw: &str, iin: &Iin) -> Result<NewPassword, PasswordProblem> {
        let chars = raw.chars().count();
        if chars < MIN_CHARS {
            return Err(PasswordProblem::TooShort);
        }
        if chars > MAX_CHARS {
            return Err(PasswordProblem::TooLong);
        }
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        let only_digits_and_separators = raw
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '/' | ' '));
        if raw == iin.as_str() || (only_digits_and_separators && digits == iin.as_str()) {
            return Err(PasswordProblem::SameAsIin);
        }
        if only_digits_and_separators && birth_date_forms(iin).contains(&digits) {
            return Err(PasswordProblem::SameAsBirthDate);
        }
        if is_common(raw) {
            return Err(PasswordProblem::Common);
        }
        Ok(NewPassword(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The ways people write their birth date, as digits only.
fn birth_date_forms(iin: &Iin) -> Vec<String> {
    let d = iin.birth_date();
    ["%d%m%Y", "%Y%m%d", "%d%m%y", "%y%m%d", "%m%d%Y"]
        .iter()
        .map(|f| d.format(f).to_string())
        .collect()
}

/// A password is common when it is, as a whole, one of the most used passwords (or a
/// reversed or l33t form of one), or so guessable that a few thousand guesses find it
/// (repeats such as `aaaaaaaa`, sequences such as `12345678`). The list is the one
/// zxcvbn ships (tens of thousands of leaked passwords, ranked by frequency).
fn is_common(raw: &str) -> bool {
    use zxcvbn::matching::patterns::MatchPattern;
    const MAX_RANK: usize = 10_000;
    let lowered = raw.to_lowercase();
    // zxcvbn is third-party code fed with arbitrary input: a panic there must not take a
    // sign-up down, so it counts as "not common" and the other rules still hold.
    let verdict = std::panic::catch_unwind(|| {
        let entropy = zxcvbn::zxcvbn(&lowered, &[]);
        let whole_common = entropy.sequence().iter().any(|m| {
            m.i == 0
                && m.j + 1 >= lowered.chars().count()
                && matches!(&m.pattern, MatchPattern::Dictionary(p)
                    // zxcvbn does not re-export its dictionary enum; its Debug name is stable.
                    if format!("{:?}", p.dictionary_name) == "Passwords" && p.rank <= MAX_RANK)
        });
        whole_common || entropy.score() == zxcvbn::Score::Zero
    });
    verdict.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn iin() -> Iin {
        Iin::parse("880101300123").expect("valid IIN (see iin.rs tests)")
    }

    #[test]
    fn length_limits_count_characters_not_bytes() {
        assert_eq!(
            NewPassword::parse("Ab3$xyz", &iin()),
            Err(PasswordProblem::TooShort)
        );
        // Eight Kazakh letters are 16 bytes but 8 characters: long enough.
        assert!(NewPassword::parse("әғқңөұүһ", &iin()).is_ok());
        let sixty_four = "ө".repeat(32) + &"ж".repeat(32);
        assert!(NewPassword::parse(&sixty_four, &iin()).is_ok());
        let sixty_five = sixty_four.clone() + "x";
        assert_eq!(
            NewPassword::parse(&sixty_five, &iin()),
            Err(PasswordProblem::TooLong)
        );
    }

    #[test]
    fn no_composition_rules() {
        for ok in [
            "correct horse battery staple",
            "жылқы тау өзен",
            "taubatyrqaraqum",
        ] {
            assert!(NewPassword::parse(ok, &iin()).is_ok(), "{ok}");
        }
    }

    #[test]
    fn common_and_guessable_passwords_are_refused() {
        for bad in [
            "password",
            "12345678",
            "qwerty123",
            "iloveyou",
            "PASSWORD1",
            "aaaaaaaa",
            "11111111",
            "drowssap",
        ] {
            assert_eq!(
                NewPassword::parse(bad, &iin()),
                Err(PasswordProblem::Common),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_iin_and_the_birth_date_are_refused() {
        assert_eq!(
            NewPassword::parse("880101300123", &iin()),
            Err(PasswordProblem::SameAsIin)
        );
        assert_eq!(
            NewPassword::parse("880101 300123", &iin()),
            Err(PasswordProblem::SameAsIin)
        );
        for date in [
            "01011988",
            "01.01.1988",
            "1988-01-01",
            "19880101",
            "01/01/1988",
        ] {
            assert_eq!(
                NewPassword::parse(date, &iin()),
                Err(PasswordProblem::SameAsBirthDate),
                "{date}"
            );
        }
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let p = NewPassword::parse("taubatyrqaraqum", &iin()).unwrap();
        assert_eq!(format!("{p:?}"), "NewPassword(***)");
        assert_eq!(format!("{:?}", Password::new("secret123")), "Password(***)");
    }

    proptest! {
        #[test]
        fn any_text_gets_a_verdict_without_panicking(raw in "\\PC{0,80}") {
            let verdict = NewPassword::parse(&raw, &iin());
            if let Ok(p) = verdict {
                prop_assert_eq!(p.expose(), raw.as_str());
                let n = raw.chars().count();
                prop_assert!((MIN_CHARS..=MAX_CHARS).contains(&n));
            }
        }
    }
}
