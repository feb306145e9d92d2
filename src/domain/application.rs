//! Applications a depositor files through the cabinet: their kinds, their statuses and which
//! status may follow which, the notes a status change may carry, and application numbers
//! (`Z-2026-000123`). Pure: storage lives in `store::applications`.
//!
//! Every kind, status and note has a storage code (snake_case, written in the database) and a
//! message key for the texts (`application-status-under-review`), so nothing user-visible is
//! spelled here.

use std::fmt;

use chrono::{DateTime, Datelike};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::dates::KAZAKHSTAN_TIME;

/// What the application asks for (memo services 2, 4, 5, 7 and 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationKind {
    /// Payout from mandatory (and occupational) savings on disability of group 1 or 2
    /// established indefinitely.
    DisabilityPayout,
    /// Payout from voluntary savings to a person who has reached 50.
    VoluntaryPayoutAge,
    /// Payout from voluntary savings to a person with a disability.
    VoluntaryPayoutDisability,
    /// Change of bank details (where payouts go).
    BankDetailsChange,
    /// Choosing a private portfolio manager, or changing one for another.
    ManagerChoice,
    /// Returning savings from a private manager to the National Bank's trust management.
    ReturnToNationalBank,
    /// Cancelling an earlier, not yet executed manager application.
    ManagerCancellation,
    /// Transfer of voluntary savings.
    VoluntaryTransfer,
}

impl ApplicationKind {
    pub const ALL: [ApplicationKind; 8] = [
        ApplicationKind::DisabilityPayout,
        ApplicationKind::VoluntaryPayoutAge,
        ApplicationKind::VoluntaryPayoutDisability,
        ApplicationKind::BankDetailsChange,
        ApplicationKind::ManagerChoice,
        ApplicationKind::ReturnToNationalBank,
        ApplicationKind::ManagerCancellation,
        ApplicationKind::VoluntaryTransfer,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ApplicationKind::DisabilityPayout => "disability_payout",
            ApplicationKind::VoluntaryPayoutAge => "voluntary_payout_age",
            ApplicationKind::VoluntaryPayoutDisability => "voluntary_payout_disability",
            ApplicationKind::BankDetailsChange => "bank_details_change",
            ApplicationKind::ManagerChoice => "manager_choice",
            ApplicationKind::ReturnToNationalBank => "return_to_national_bank",
            ApplicationKind::ManagerCancellation => "manager_cancellation",
            ApplicationKind::VoluntaryTransfer => "voluntary_transfer",
        }
    }

    pub fn from_code(code: &str) -> Option<ApplicationKind> {
        ApplicationKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// `application-kind-disability-payout`, ...
    pub fn message_key(self) -> &'static str {
        match self {
            ApplicationKind::DisabilityPayout => "application-kind-disability-payout",
            ApplicationKind::VoluntaryPayoutAge => "application-kind-voluntary-payout-age",
            ApplicationKind::VoluntaryPayoutDisability => {
                "application-kind-voluntary-payout-disability"
            }
            ApplicationKind::BankDetailsChange => "application-kind-bank-details-change",
            ApplicationKind::ManagerChoice => "application-kind-manager-choice",
            ApplicationKind::ReturnToNationalBank => "application-kind-return-to-national-bank",
            ApplicationKind::ManagerCancellation => "application-kind-manager-cancellation",
            ApplicationKind::VoluntaryTransfer => "application-kind-voluntary-transfer",
        }
    }
}

/// Where an application stands (domain.md "Application statuses").
///
/// Before submission: draft -> awaiting signature -> signed. The fund then accepts it, reviews
/// it, and it ends executed, refused, returned for correction or cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Draft,
    AwaitingSignature,
    Signed,
    /// Қабылданды / Принято.
    Accepted,
    /// Қаралуда / На рассмотрении.
    UnderReview,
    /// Орындалды / Исполнено.
    Executed,
    /// Бас тартылды / Отказано.
    Refused,
    /// Қайтарылды / Возвращено (for correction: the depositor files a corrected one).
    Returned,
    /// Жойылды / Аннулировано.
    Cancelled,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 9] = [
        ApplicationStatus::Draft,
        ApplicationStatus::AwaitingSignature,
        ApplicationStatus::Signed,
        ApplicationStatus::Accepted,
        ApplicationStatus::UnderReview,
        ApplicationStatus::Executed,
        ApplicationStatus::Refused,
        ApplicationStatus::Returned,
        ApplicationStatus::Cancelled,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ApplicationStatus::Draft => "draft",
            ApplicationStatus::AwaitingSignature => "awaiting_signature",
            ApplicationStatus::Signed => "signed",
            ApplicationStatus::Accepted => "accepted",
            ApplicationStatus::UnderReview => "under_review",
            ApplicationStatus::Executed => "executed",
            ApplicationStatus::Refused => "refused",
            ApplicationStatus::Returned => "returned",
            ApplicationStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<ApplicationStatus> {
        ApplicationStatus::ALL
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// `application-status-under-review`, ...
    pub fn message_key(self) -> &'static str {
        match self {
            ApplicationStatus::Draft => "application-status-draft",
            ApplicationStatus::AwaitingSignature => "application-status-awaiting-signature",
            ApplicationStatus::Signed => "application-status-signed",
            ApplicationStatus::Accepted => "application-status-accepted",
            ApplicationStatus::UnderReview => "application-status-under-review",
            ApplicationStatus::Executed => "application-status-executed",
            ApplicationStatus::Refused => "application-status-refused",
            ApplicationStatus::Returned => "application-status-returned",
            ApplicationStatus::Cancelled => "application-status-cancelled",
        }
    }

    /// The statuses that may directly follow this one.
    ///
    /// - draft -> awaiting signature (a signing request went out), or cancelled (abandoned);
    /// - awaiting signature -> signed, back to draft (the signing link expired or the
    ///   depositor wants to change something), or cancelled;
    /// - signed -> accepted (the fund registered it);
    /// - accepted -> under review, or cancelled (not yet executed, so it may be cancelled);
    /// - under review -> executed, refused, returned for correction, or cancelled;
    /// - executed, refused, returned and cancelled are final: a returned application is
    ///   corrected by filing a new one.
    pub fn next(self) -> &'static [ApplicationStatus] {
        use ApplicationStatus::*;
        match self {
            Draft => &[AwaitingSignature, Cancelled],
            AwaitingSignature => &[Signed, Draft, Cancelled],
            Signed => &[Accepted],
            Accepted => &[UnderReview, Cancelled],
            UnderReview => &[Executed, Refused, Returned, Cancelled],
            Executed | Refused | Returned | Cancelled => &[],
        }
    }

    /// True when `self -> to` is an allowed change.
    pub fn can_become(self, to: ApplicationStatus) -> bool {
        self.next().contains(&to)
    }

    /// Nothing follows a final status.
    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }

    /// True once the fund has the application (accepted or any later status).
    pub fn is_submitted(self) -> bool {
        !matches!(
            self,
            ApplicationStatus::Draft
                | ApplicationStatus::AwaitingSignature
                | ApplicationStatus::Signed
        )
    }

    /// The statuses an application may be created in: a draft started in the bot, or one
    /// accepted elsewhere (an office, e-government) and imported from the fund's registry.
    pub fn can_start(self) -> bool {
        matches!(self, ApplicationStatus::Draft | ApplicationStatus::Accepted)
    }
}

/// `true` when `from -> to` is an allowed status change (see [`ApplicationStatus::next`]).
pub fn transition_allowed(from: ApplicationStatus, to: ApplicationStatus) -> bool {
    from.can_become(to)
}

/// Why a status changed, when the status alone does not say it. A fixed set, so every note
/// has a translation and no free text (which might carry personal data) reaches the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusNote {
    /// Cancelled at the depositor's own request.
    CancelledByDepositor,
    /// The signing link expired before the application was signed.
    SigningExpired,
    /// Refused: the disability is not of group 1 or 2 established indefinitely.
    DisabilityNotIndefinite,
    /// Refused: voluntary payouts by age start at 50.
    UnderAgeForVoluntaryPayout,
    /// Refused: less than a year since the last transfer between managers.
    ManagerChangeTooSoon,
    /// Returned: the bank account is not in the depositor's name or the details do not match.
    BankDetailsMismatch,
    /// Returned: the documents attached are incomplete or unreadable.
    DocumentsIncomplete,
}

impl StatusNote {
    pub const ALL: [StatusNote; 7] = [
        StatusNote::CancelledByDepositor,
        StatusNote::SigningExpired,
        StatusNote::DisabilityNotIndefinite,
        StatusNote::UnderAgeForVoluntaryPayout,
        StatusNote::ManagerChangeTooSoon,
        StatusNote::BankDetailsMismatch,
        StatusNote::DocumentsIncomplete,
    ];

    /// The stored code (the history's `note_key` column).
    pub fn code(self) -> &'static str {
        match self {
            StatusNote::CancelledByDepositor => "cancelled_by_depositor",
            StatusNote::SigningExpired => "signing_expired",
            StatusNote::DisabilityNotIndefinite => "disability_not_indefinite",
            StatusNote::UnderAgeForVoluntaryPayout => "under_age_for_voluntary_payout",
            StatusNote::ManagerChangeTooSoon => "manager_change_too_soon",
            StatusNote::BankDetailsMismatch => "bank_details_mismatch",
            StatusNote::DocumentsIncomplete => "documents_incomplete",
        }
    }

    pub fn from_code(code: &str) -> Option<StatusNote> {
        StatusNote::ALL.into_iter().find(|n| n.code() == code)
    }

    /// `application-note-cancelled-by-depositor`, ...
    pub fn message_key(self) -> &'static str {
        match self {
            StatusNote::CancelledByDepositor => "application-note-cancelled-by-depositor",
            StatusNote::SigningExpired => "application-note-signing-expired",
            StatusNote::DisabilityNotIndefinite => "application-note-disability-not-indefinite",
            StatusNote::UnderAgeForVoluntaryPayout => {
                "application-note-under-age-for-voluntary-payout"
            }
            StatusNote::ManagerChangeTooSoon => "application-note-manager-change-too-soon",
            StatusNote::BankDetailsMismatch => "application-note-bank-details-mismatch",
            StatusNote::DocumentsIncomplete => "application-note-documents-incomplete",
        }
    }
}

/// Why a text is not an application number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ApplicationNumberError {
    #[error("an application number looks like Z-2026-000123")]
    BadShape,
    #[error("the sequence of an application number starts at 1")]
    ZeroSequence,
}

/// An application number: `Z-` + the year it was created (Kazakhstan time) + a sequence per
/// year, zero-padded to six digits (it simply grows longer past 999 999). Serialised as that
/// text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ApplicationNumber {
    year: u16,
    sequence: u32,
}

impl ApplicationNumber {
    /// `None` for sequence 0 or a year outside 1000..=9999 (the number has four year digits).
    pub fn new(year: i32, sequence: u32) -> Option<ApplicationNumber> {
        let year = u16::try_from(year)
            .ok()
            .filter(|y| (1000..=9999).contains(y))?;
        (sequence > 0).then_some(ApplicationNumber { year, sequence })
    }

    pub fn year(self) -> i32 {
        i32::from(self.year)
    }

    pub fn sequence(self) -> u32 {
        self.sequence
    }

    /// Parses `Z-2026-000123` (surrounding whitespace and a lowercase `z` are accepted).
    pub fn parse(input: &str) -> Result<ApplicationNumber, ApplicationNumberError> {
        let text = input.trim();
        let rest = text
            .strip_prefix("Z-")
            .or_else(|| text.strip_prefix("z-"))
            .ok_or(ApplicationNumberError::BadShape)?;
        let (year, sequence) = rest
            .split_once('-')
            .ok_or(ApplicationNumberError::BadShape)?;
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 4 || !all_digits(year) || sequence.len() < 6 || !all_digits(sequence) {
            return Err(ApplicationNumberError::BadShape);
        }
        // A wider sequence is only valid without extra leading zeros (the form we write).
        if sequence.len() > 6 && sequence.starts_with('0') {
            return Err(ApplicationNumberError::BadShape);
        }
        let year: i32 = year.parse().map_err(|_| ApplicationNumberError::BadShape)?;
        let sequence: u32 = sequence
            .parse()
            .map_err(|_| ApplicationNumberError::BadShape)?;
        if sequence == 0 {
            return Err(ApplicationNumberError::ZeroSequence);
        }
        ApplicationNumber::new(year, sequence).ok_or(ApplicationNumberError::BadShape)
    }

    /// The year an application created at `created_at_ms` (unix ms) is numbered in: the
    /// calendar year in Kazakhstan (UTC+5) at that instant. `None` outside chrono's range.
    pub fn year_of(created_at_ms: i64) -> Option<i32> {
        let at = DateTime::from_timestamp_millis(created_at_ms)?;
        Some(at.with_timezone(&KAZAKHSTAN_TIME).year())
    }
}

impl fmt::Display for ApplicationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Z-{}-{:06}", self.year, self.sequence)
    }
}

impl TryFrom<String> for ApplicationNumber {
    type Error = ApplicationNumberError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        ApplicationNumber::parse(&text)
    }
}

impl From<ApplicationNumber> for String {
    fn from(number: ApplicationNumber) -> String {
        number.to_string()
    }
}

/// The lowercase hex SHA-256 of a document's bytes: what is stored next to the document and
/// what a signature must cover.
pub fn document_digest(document: &str) -> String {
    hex::encode(Sha256::digest(document.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus::*;
    use proptest::prelude::*;

    #[test]
    fn codes_round_trip_and_keys_are_distinct() {
        let mut keys = std::collections::HashSet::new();
        for kind in ApplicationKind::ALL {
            assert_eq!(ApplicationKind::from_code(kind.code()), Some(kind));
            assert!(keys.insert(kind.message_key()));
        }
        for status in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::from_code(status.code()), Some(status));
            assert!(keys.insert(status.message_key()));
        }
        for note in StatusNote::ALL {
            assert_eq!(StatusNote::from_code(note.code()), Some(note));
            assert!(keys.insert(note.message_key()));
        }
        assert_eq!(ApplicationStatus::from_code("Accepted"), None);
        assert_eq!(ApplicationKind::from_code(""), None);
        assert_eq!(StatusNote::from_code("refused"), None);
    }

    #[test]
    fn the_happy_path_is_allowed_step_by_step() {
        let path = [
            Draft,
            AwaitingSignature,
            Signed,
            Accepted,
            UnderReview,
            Executed,
        ];
        for pair in path.windows(2) {
            assert!(transition_allowed(pair[0], pair[1]), "{pair:?}");
        }
        for end in [Executed, Refused, Returned, Cancelled] {
            assert!(transition_allowed(UnderReview, end));
            assert!(end.is_final());
        }
    }

    #[test]
    fn skipping_steps_and_going_back_are_refused() {
        let refused = [
            (Draft, Signed),
            (Draft, Accepted),
            (AwaitingSignature, Accepted),
            (Signed, UnderReview),
            (Signed, Draft),
            (Accepted, Executed),
            (Accepted, Refused),
            (UnderReview, Accepted),
            (Executed, Cancelled),
            (Refused, UnderReview),
            (Returned, Draft),
            (Cancelled, Draft),
        ];
        for (from, to) in refused {
            assert!(!transition_allowed(from, to), "{from:?} -> {to:?}");
        }
        for status in ApplicationStatus::ALL {
            assert!(!transition_allowed(status, status), "{status:?} to itself");
        }
    }

    #[test]
    fn not_yet_executed_applications_can_be_cancelled() {
        for status in [Draft, AwaitingSignature, Accepted, UnderReview] {
            assert!(transition_allowed(status, Cancelled), "{status:?}");
        }
        assert!(!transition_allowed(Signed, Cancelled));
    }

    #[test]
    fn submission_and_start() {
        let submitted: Vec<_> = ApplicationStatus::ALL
            .into_iter()
            .filter(|s| s.is_submitted())
            .collect();
        assert_eq!(
            submitted,
            [
                Accepted,
                UnderReview,
                Executed,
                Refused,
                Returned,
                Cancelled
            ]
        );
        let starts: Vec<_> = ApplicationStatus::ALL
            .into_iter()
            .filter(|s| s.can_start())
            .collect();
        assert_eq!(starts, [Draft, Accepted]);
    }

    #[test]
    fn every_status_is_reachable_from_a_start() {
        let mut seen = vec![Draft, Accepted];
        let mut i = 0;
        while let Some(&status) = seen.get(i) {
            for &next in status.next() {
                if !seen.contains(&next) {
                    seen.push(next);
                }
            }
            i += 1;
        }
        assert_eq!(seen.len(), ApplicationStatus::ALL.len());
    }

    #[test]
    fn numbers_print_and_parse() {
        let number = ApplicationNumber::new(2026, 123);
        assert_eq!(
            number.map(|n| n.to_string()).as_deref(),
            Some("Z-2026-000123")
        );
        assert_eq!(ApplicationNumber::parse(" z-2026-000123 ").ok(), number);
        let big = ApplicationNumber::new(2026, 1_234_567);
        assert_eq!(
            big.map(|n| n.to_string()).as_deref(),
            Some("Z-2026-1234567")
        );
        assert_eq!(ApplicationNumber::parse("Z-2026-1234567").ok(), big);
        for bad in [
            "",
            "Z-2026-123",
            "Z2026000123",
            "X-2026-000123",
            "Z-26-000123",
            "Z-2026-00012a",
            "Z-2026-0000123",
            "Z-2026-000123-1",
            "Z-+026-000123",
        ] {
            assert_eq!(
                ApplicationNumber::parse(bad),
                Err(ApplicationNumberError::BadShape),
                "{bad}"
            );
        }
        assert_eq!(
            ApplicationNumber::parse("Z-2026-000000"),
            Err(ApplicationNumberError::ZeroSequence)
        );
        assert_eq!(ApplicationNumber::new(2026, 0), None);
        assert_eq!(ApplicationNumber::new(999, 1), None);
        assert_eq!(ApplicationNumber::new(10_000, 1), None);
    }

    #[test]
    fn numbers_serialise_as_text() {
        let number = ApplicationNumber::new(2026, 7);
        let json = number.map(|n| serde_json::to_string(&n).ok());
        assert_eq!(json.flatten().as_deref(), Some("\"Z-2026-000007\""));
        let back: Result<ApplicationNumber, _> = serde_json::from_str("\"Z-2026-000007\"");
        assert_eq!(back.ok(), number);
        assert!(serde_json::from_str::<ApplicationNumber>("\"Z-2026-7\"").is_err());
    }

    #[test]
    fn the_year_is_kazakhstan_time() {
        // 2025-12-31 19:00 UTC is 2026-01-01 00:00 in Kazakhstan.
        let new_year_utc5 = 1_767_207_600_000;
        assert_eq!(ApplicationNumber::year_of(new_year_utc5), Some(2026));
        assert_eq!(ApplicationNumber::year_of(new_year_utc5 - 1), Some(2025));
        assert_eq!(ApplicationNumber::year_of(i64::MAX), None);
    }

    #[test]
    fn digest_is_sha256_hex() {
        assert_eq!(
            document_digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC{0,24}") {
            let _ = ApplicationNumber::parse(&text);
        }

        #[test]
        fn numbers_round_trip(year in 1000i32..=9999, sequence in 1u32..=u32::MAX) {
            let number = ApplicationNumber::new(year, sequence);
            prop_assert!(number.is_some());
            if let Some(number) = number {
                prop_assert_eq!(ApplicationNumber::parse(&number.to_string()), Ok(number));
            }
        }
    }
}
