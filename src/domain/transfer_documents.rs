//! The canonical documents of the transfer applications (manager choice, return to the
//! National Bank, cancellation of a manager application, voluntary contribution): the exact
//! UTF-8 JSON the depositor signs.
//!
//! One `Serialize` struct per kind; `serde_json` writes fields in declaration order, so the
//! bytes are stable. The first fields are always `kind`, `iin`, `full_name`, `created_at`
//! (RFC 3339 in Kazakhstan time); money is integer tiyn with `currency`. Every field name
//! `foo_bar` has a label `doc-field-foo-bar` (common ones in `filing.ftl`, these kinds' own in
//! `managers.ftl`).

use chrono::DateTime;
use serde::{Deserialize, Serialize};

use super::application::{ApplicationKind, ApplicationNumber};
use super::transfers::{Savings, Share};
use super::{Iin, Money};

/// `2026-03-02T15:00:00+05:00` for an instant in unix ms; `None` outside chrono's range.
pub fn created_at(at_ms: i64) -> Option<String> {
    DateTime::from_timestamp_millis(at_ms).map(crate::domain::filing::kazakhstan_time)
}

/// Who signs: the first fields of every document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub iin: Iin,
    pub full_name: String,
    /// Already formatted by [`created_at`].
    pub created_at: String,
}

#[derive(Serialize)]
struct ManagerChoiceDocument<'a> {
    kind: &'static str,
    iin: &'a str,
    full_name: &'a str,
    created_at: &'a str,
    savings: &'static str,
    /// The account kinds the share is taken from (`opv`, `oppv` or `dpv`).
    accounts: &'a [&'a str],
    manager: &'a str,
    manager_name: &'a str,
    share_percent: u8,
}

/// Choosing (or changing) a private portfolio manager for a share of these savings.
pub fn manager_choice(
    signer: &Signer,
    savings: Savings,
    accounts: &[&str],
    manager: &str,
    manager_name: &str,
    share: Share,
) -> String {
    json(&ManagerChoiceDocument {
        kind: ApplicationKind::ManagerChoice.code(),
        iin: signer.iin.as_str(),
        full_name: &signer.full_name,
        created_at: &signer.created_at,
        savings: savings.code(),
        accounts,
        manager,
        manager_name,
        share_percent: share.percent(),
    })
}

#[derive(Serialize)]
struct ReturnDocument<'a> {
    kind: &'static str,
    iin: &'a str,
    full_name: &'a str,
    created_at: &'a str,
    /// The accounts whose savings are with a private manager now.
    accounts: &'a [&'a str],
    manager: &'a str,
    manager_name: &'a str,
    share_percent: u8,
}

/// Returning everything held by private managers to the National Bank.
pub fn return_to_national_bank(
    signer: &Signer,
    accounts: &[&str],
    national_bank: &str,
    national_bank_name: &str,
) -> String {
    json(&ReturnDocument {
        kind: ApplicationKind::ReturnToNationalBank.code(),
        iin: signer.iin.as_str(),
        full_name: &signer.full_name,
        created_at: &signer.created_at,
        accounts,
        manager: national_bank,
        manager_name: national_bank_name,
        share_percent: Share::all().percent(),
    })
}

/// The cancellation document; also read back (by [`cancellation_target`]) when it is
/// accepted.
#[derive(Serialize, Deserialize)]
struct CancellationDocument<'a> {
    kind: &'a str,
    iin: &'a str,
    full_name: &'a str,
    created_at: &'a str,
    target_number: &'a str,
    target_kind: &'a str,
    target_created_at: &'a str,
}

/// Cancelling the depositor's earlier manager application `target`.
pub fn manager_cancellation(
    signer: &Signer,
    target: &ApplicationNumber,
    target_kind: ApplicationKind,
    target_created_at: &str,
) -> String {
    json(&CancellationDocument {
        kind: ApplicationKind::ManagerCancellation.code(),
        iin: signer.iin.as_str(),
        full_name: &signer.full_name,
        created_at: &signer.created_at,
        target_number: &target.to_string(),
        target_kind: target_kind.code(),
        target_created_at,
    })
}

/// The application a cancellation document names; `None` when the text is no cancellation
/// document.
pub fn cancellation_target(document: &str) -> Option<ApplicationNumber> {
    let parsed: CancellationDocument<'_> = serde_json::from_str(document).ok()?;
    if parsed.kind != ApplicationKind::ManagerCancellation.code() {
        return None;
    }
    ApplicationNumber::parse(parsed.target_number).ok()
}

/// The payment details as signed with a voluntary contribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payee {
    pub recipient: String,
    pub bin: String,
    pub iban: String,
    pub bic: String,
    pub kbe: String,
    pub knp: String,
}

#[derive(Serialize)]
struct ContributionDocument<'a> {
    kind: &'static str,
    iin: &'a str,
    full_name: &'a str,
    created_at: &'a str,
    account: &'static str,
    amount: i64,
    currency: &'static str,
    recipient: &'a str,
    recipient_bin: &'a str,
    recipient_iban: &'a str,
    recipient_bic: &'a str,
    kbe: &'a str,
    knp: &'a str,
    payment_purpose: &'a str,
}

/// A voluntary pension contribution of `amount` into the depositor's own ДПВ account.
pub fn voluntary_contribution(
    signer: &Signer,
    amount: Money,
    payee: &Payee,
    payment_purpose: &str,
) -> String {
    json(&ContributionDocument {
        kind: ApplicationKind::VoluntaryTransfer.code(),
        iin: signer.iin.as_str(),
        full_name: &signer.full_name,
        created_at: &signer.created_at,
        account: "dpv",
        amount: amount.tiyn(),
        currency: "KZT",
        recipient: &payee.recipient,
        recipient_bin: &payee.bin,
        recipient_iban: &payee.iban,
        recipient_bic: &payee.bic,
        kbe: &payee.kbe,
        knp: &payee.knp,
        payment_purpose,
    })
}

fn json<T: Serialize>(document: &T) -> String {
    // Serialising structs of strings and integers cannot fail; an empty object would be
    // refused by the signing side rather than signed.
    serde_json::to_string(document).unwrap_or_else(|_| "{}".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> Signer {
        Signer {
            iin: Iin::parse("900314450018").expect("a valid IIN"),
            full_name: "Сейтқали Айгерім Нұрланқызы".into(),
            created_at: created_at(1_772_445_600_000).expect("in range"),
        }
    }

    #[test]
    fn created_at_is_kazakhstan_time() {
        assert_eq!(
            created_at(1_772_445_600_000).as_deref(),
            Some("2026-03-02T15:00:00+05:00")
        );
    }

    #[test]
    fn manager_choice_fields_in_order() {
        let share = Share::parse("30", Savings::Mandatory).expect("a share");
        let doc = manager_choice(
            &signer(),
            Savings::Mandatory,
            &["opv", "oppv"],
            "bcc_invest",
            "АО «BCC Invest»",
            share,
        );
        assert_eq!(
            doc,
            "{\"kind\":\"manager_choice\",\"iin\":\"900314450018\",\
             \"full_name\":\"Сейтқали Айгерім Нұрланқызы\",\
             \"created_at\":\"2026-03-02T15:00:00+05:00\",\"savings\":\"mandatory\",\
             \"accounts\":[\"opv\",\"oppv\"],\"manager\":\"bcc_invest\",\
             \"manager_name\":\"АО «BCC Invest»\",\"share_percent\":30}"
        );
    }

    #[test]
    fn a_cancellation_names_its_target_and_reads_back() {
        let target = ApplicationNumber::new(2026, 12).expect("a number");
        let doc = manager_cancellation(
            &signer(),
            &target,
            ApplicationKind::ManagerChoice,
            "2026-02-20T10:00:00+05:00",
        );
        assert!(doc.starts_with("{\"kind\":\"manager_cancellation\",\"iin\":"));
        assert!(doc.contains("\"target_number\":\"Z-2026-000012\""));
        assert_eq!(cancellation_target(&doc), Some(target));
        assert_eq!(cancellation_target("{\"kind\":\"manager_choice\"}"), None);
        assert_eq!(cancellation_target("not json"), None);
    }

    #[test]
    fn a_contribution_carries_tiyn_and_currency() {
        let payee = Payee {
            recipient: "АО «ЕНПФ»".into(),
            bin: "971240002115".into(),
            iban: "KZ00DEMO000000000000".into(),
            bic: "NBRKKZKX".into(),
            kbe: "15".into(),
            knp: "013".into(),
        };
        let amount = Money::parse("15 000,50").expect("an amount");
        let doc = voluntary_contribution(&signer(), amount, &payee, "ДПВ, ИИН 900314450018");
        assert!(doc.contains("\"account\":\"dpv\",\"amount\":1500050,\"currency\":\"KZT\""));
        let value: serde_json::Value = serde_json::from_str(&doc).expect("json");
        assert_eq!(value["payment_purpose"], "ДПВ, ИИН 900314450018");
    }
}
