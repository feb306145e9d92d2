//! An e-mail address, checked pragmatically (not the full RFC 5322 grammar: what real mailboxes
//! look like), normalised by lowercasing the domain, and masked as the fund's memo does
//! (`Al*****@ma****`).

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// RFC 5321 limits, in bytes.
const MAX_LOCAL_LEN: usize = 64;
const MAX_TOTAL_LEN: usize = 254;
const MAX_LABEL_LEN: usize = 63;

/// Characters besides letters and digits allowed in the local part (RFC 5322 `atext`, plus the
/// dot between atoms).
const LOCAL_SPECIALS: &str = "!#$%&'*+/=?^_`{|}~-.";

/// Why a text is not an e-mail address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum EmailError {
    #[error("the e-mail address is empty")]
    Empty,
    #[error("an e-mail address contains no spaces")]
    ContainsSpace,
    #[error("an e-mail address needs an @")]
    MissingAt,
    #[error("an e-mail address has only one @")]
    MultipleAt,
    #[error("the part before @ is empty")]
    EmptyLocalPart,
    #[error("the part before @ is longer than 64 characters")]
    LocalPartTooLong,
    #[error("the part before @ contains characters an address cannot have")]
    BadLocalPart,
    #[error("the part after @ is empty")]
    EmptyDomain,
    #[error("the part after @ needs a dot, as in mail.kz")]
    DomainWithoutDot,
    #[error("the part after @ is not a valid domain name")]
    BadDomain,
    #[error("the e-mail address is longer than 254 characters")]
    TooLong,
}

/// A plausible e-mail address: local part as typed, domain lowercased.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email {
    address: String,
}

impl Email {
    /// Trims the input, lowercases the domain (the local part's case is the mailbox owner's
    /// business) and checks the shape.
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.chars().any(char::is_whitespace) {
            return Err(EmailError::ContainsSpace);
        }
        let (local, domain) = trimmed.split_once('@').ok_or(EmailError::MissingAt)?;
        if domain.contains('@') {
            return Err(EmailError::MultipleAt);
        }
        check_local(local)?;
        let domain = domain.to_lowercase();
        check_domain(&domain)?;
        let address = format!("{local}@{domain}");
        if address.len() > MAX_TOTAL_LEN {
            return Err(EmailError::TooLong);
        }
        Ok(Email { address })
    }

    /// The address itself: for storage and for sending mail. Never log it.
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// `Al*****@ma****`: the first two characters of each part (fewer if the part is shorter).
    pub fn masked(&self) -> String {
        let (local, domain) = self.address.split_once('@').unwrap_or((&self.address, ""));
        mask_parts(local, domain)
    }
}

/// The memo's mask applied to two parts of an address; also used to scrub addresses in free text.
pub(crate) fn mask_parts(local: &str, domain: &str) -> String {
    let local_head: String = local.chars().take(2).collect();
    let domain_head: String = domain.chars().take(2).collect();
    format!("{local_head}*****@{domain_head}****")
}

fn check_local(local: &str) -> Result<(), EmailError> {
    if local.is_empty() {
        return Err(EmailError::EmptyLocalPart);
    }
    if local.len() > MAX_LOCAL_LEN {
        return Err(EmailError::LocalPartTooLong);
    }
    let allowed = local
        .chars()
        .all(|c| c.is_alphanumeric() || LOCAL_SPECIALS.contains(c));
    if !allowed || local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(EmailError::BadLocalPart);
    }
    Ok(())
}

fn check_domain(domain: &str) -> Result<(), EmailError> {
    if domain.is_empty() {
        return Err(EmailError::EmptyDomain);
    }
    if !domain.contains('.') {
        return Err(EmailError::DomainWithoutDot);
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= MAX_LABEL_LEN
            && !label.starts_with('-')
            && !label.ends_with('-')
            // Letters include Unicode ones: internationalised domains such as `пошта.қз`.
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if domain.split('.').all(label_ok) {
        Ok(())
    } else {
        Err(EmailError::BadDomain)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.masked())
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.address
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_addresses_are_normalised() {
        let cases = [
            ("Aliya.Nur@Mail.KZ", "Aliya.Nur@mail.kz"),
            ("  user+tag@example.com\n", "user+tag@example.com"),
            ("a@b.co", "a@b.co"),
            (
                "o'brien@sub-domain.example.org",
                "o'brien@sub-domain.example.org",
            ),
            ("Әлия@Пошта.Қаз", "Әлия@пошта.қаз"),
        ];
        for (typed, stored) in cases {
            let email = Email::parse(typed).unwrap_or_else(|e| panic!("{typed}: {e}"));
            assert_eq!(email.as_str(), stored);
        }
    }

    #[test]
    fn each_fault_has_its_own_error() {
        let long_local = format!("{}@mail.kz", "a".repeat(65));
        // Five labels of 60 letters: each label is legal, the whole is 309 bytes.
        let long_total = format!("a@{}.kz", vec!["b".repeat(60); 5].join("."));
        let cases = [
            ("", EmailError::Empty),
            ("   ", EmailError::Empty),
            ("ali ya@mail.kz", EmailError::ContainsSpace),
            ("aliya.mail.kz", EmailError::MissingAt),
            ("a@b@mail.kz", EmailError::MultipleAt),
            ("@mail.kz", EmailError::EmptyLocalPart),
            (long_local.as_str(), EmailError::LocalPartTooLong),
            ("al<i>ya@mail.kz", EmailError::BadLocalPart),
            (".aliya@mail.kz", EmailError::BadLocalPart),
            ("aliya.@mail.kz", EmailError::BadLocalPart),
            ("ali..ya@mail.kz", EmailError::BadLocalPart),
            ("aliya@", EmailError::EmptyDomain),
            ("aliya@localhost", EmailError::DomainWithoutDot),
            ("aliya@mail..kz", EmailError::BadDomain),
            ("aliya@-mail.kz", EmailError::BadDomain),
            ("aliya@mail-.kz", EmailError::BadDomain),
            ("aliya@mail.kz.", EmailError::BadDomain),
            ("aliya@ma_il.kz", EmailError::BadDomain),
            (long_total.as_str(), EmailError::TooLong),
        ];
        for (typed, error) in cases {
            assert_eq!(Email::parse(typed), Err(error), "{typed}");
        }
    }

    #[test]
    fn masked_as_the_memo_shows() {
        let email = Email::parse("Aliya@mail.kz").expect("valid");
        assert_eq!(email.masked(), "Al*****@ma****");
        assert_eq!(email.to_string(), "Al*****@ma****");
        assert_eq!(format!("{email:?}"), "Email(Al*****@ma****)");
        let short = Email::parse("a@b.kz").expect("valid");
        assert_eq!(short.masked(), "a*****@b.****");
        let cyrillic = Email::parse("Әлия@пошта.қаз").expect("valid");
        assert_eq!(cyrillic.masked(), "Әл*****@по****");
    }

    #[test]
    fn serde_goes_through_the_parser() {
        let email = Email::parse("Aliya@Mail.kz").expect("valid");
        let json = serde_json::to_string(&email).expect("serialize");
        assert_eq!(json, "\"Aliya@mail.kz\"");
        assert_eq!(
            serde_json::from_str::<Email>(&json).expect("deserialize"),
            email
        );
        assert!(serde_json::from_str::<Email>("\"not an email\"").is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC{0,40}") {
            let _ = Email::parse(&text);
        }

        #[test]
        fn address_like_strings_never_panic(text in "[a-zA-Z0-9.@_+ -]{0,30}") {
            if let Ok(email) = Email::parse(&text) {
                prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
            }
        }

        #[test]
        fn valid_addresses_round_trip(
            local in "[A-Za-z0-9_+-]{1,20}(\\.[A-Za-z0-9_+-]{1,10}){0,2}",
            labels in prop::collection::vec("[A-Za-z0-9]([A-Za-z0-9-]{0,10}[A-Za-z0-9])?", 2..4),
        ) {
            let domain = labels.join(".");
            let typed = format!(" {local}@{domain} ");
            let email = Email::parse(&typed).expect("valid address");
            prop_assert_eq!(email.as_str(), format!("{local}@{}", domain.to_lowercase()));
            prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
            let json = serde_json::to_string(&email).expect("serialize");
            prop_assert_eq!(serde_json::from_str::<Email>(&json).expect("deserialize"), email.clone());
            let masked = email.masked();
            let head: String = local.chars().take(2).collect();
            let expected_start = format!("{head}*****@");
            prop_assert!(masked.starts_with(&expected_start));
            prop_assert!(masked.ends_with("****"));
        }
    }
}
