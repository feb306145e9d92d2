//! The demo registry's manager transfers (migration 0012) and manager applications, for the
//! transfer flows (memo services 5 and 7):
//! - `OLD_TRANSFER` (#37): ОПВ with Halyk Global Markets and ДПВ with BCC Invest since a
//!   transfer 620 days ago — may change the manager or return to the National Bank;
//! - `RECENT_TRANSFER` (#38): ОПВ moved to Centras Securities 160 days ago — a new manager
//!   application is refused until the year has passed;
//! - `PENDING_APPLICATION` (#39): a manager choice filed 6 days ago, under review — may be
//!   cancelled, and blocks a second manager application meanwhile.
//!
//! People are found by their stable seed (`roster::Spec::stable_seed`), not by their place
//! in the list; dates count back from the seed's `today`, so the rules hold whenever seeded.

use chrono::{Duration, NaiveDate};
use sqlx::AnyConnection;

use super::DemoPerson;
use crate::domain::application::{ApplicationKind, ApplicationStatus};
use crate::domain::transfer_documents::{self, Signer};
use crate::domain::transfers::{Savings, Share};
use crate::store::StoreError;
use crate::store::accounts::AccountKind;
use crate::store::applications::{self, NewApplication, StatusChange};
use crate::store::manager_transfers::{self, Transfer};

pub const OLD_TRANSFER: u64 = 0xA2_0001;
pub const RECENT_TRANSFER: u64 = 0xA2_0002;
pub const PENDING_APPLICATION: u64 = 0xA2_0003;

const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 24 * 60 * MINUTE_MS;

/// Who manages the person's account of this kind, when it is not the National Bank.
pub fn manager_of(person: &DemoPerson, kind: AccountKind) -> Option<&'static str> {
    match (person.stable_seed?, kind) {
        (OLD_TRANSFER, AccountKind::Opv) => Some("halyk_global_markets"),
        (OLD_TRANSFER, AccountKind::Dpv) => Some("bcc_invest"),
        (RECENT_TRANSFER, AccountKind::Opv) => Some("centras_securities"),
        _ => None,
    }
}

/// The person's transfers between managers as the registry records them, oldest first.
pub fn transfers_of(person: &DemoPerson, depositor_id: i64, today: NaiveDate) -> Vec<Transfer> {
    let transfer = |days_ago: i64, savings, manager: &str, share| Transfer {
        depositor_id,
        transferred_on: today - Duration::days(days_ago),
        savings,
        manager: manager.to_owned(),
        share_percent: share,
    };
    match person.stable_seed {
        Some(OLD_TRANSFER) => vec![
            transfer(620, Savings::Mandatory, "halyk_global_markets", 40),
            transfer(620, Savings::Voluntary, "bcc_invest", 100),
        ],
        Some(RECENT_TRANSFER) => vec![transfer(160, Savings::Mandatory, "centras_securities", 50)],
        _ => Vec::new(),
    }
}

/// Writes the person's transfers and pending manager application inside the seed's
/// transaction.
pub(crate) async fn seed_for(
    conn: &mut AnyConnection,
    person: &DemoPerson,
    depositor_id: i64,
    today: NaiveDate,
    now_ms: i64,
) -> Result<(), StoreError> {
    for transfer in transfers_of(person, depositor_id, today) {
        manager_transfers::insert_in(conn, &transfer, now_ms).await?;
    }
    if person.stable_seed != Some(PENDING_APPLICATION) {
        return Ok(());
    }
    // Filed six days ago, mid-morning in Kazakhstan; accepted within minutes, under review
    // from the next day.
    let filed_ms = now_ms - 6 * DAY_MS - 4 * 60 * MINUTE_MS;
    let signer = Signer {
        iin: person.iin.clone(),
        full_name: person.full_name(),
        created_at: transfer_documents::created_at(filed_ms).unwrap_or_default(),
    };
    let share = Share::parse("25", Savings::Mandatory).map_err(|_| StoreError::Invalid {
        what: "demo manager application",
        reason: "its share is out of bounds",
    })?;
    let document = transfer_documents::manager_choice(
        &signer,
        Savings::Mandatory,
        &["opv"],
        "alatau_city_invest",
        "АО «Alatau City Invest»",
        share,
    );
    let new = NewApplication {
        depositor_id,
        kind: ApplicationKind::ManagerChoice,
        status: ApplicationStatus::Draft,
        created_at_ms: filed_ms,
        document: Some(document),
        note: None,
    };
    let stored = applications::insert_in(conn, &new).await?;
    let steps = [
        (ApplicationStatus::AwaitingSignature, 2 * MINUTE_MS),
        (ApplicationStatus::Signed, 5 * MINUTE_MS),
        (ApplicationStatus::Accepted, 6 * MINUTE_MS),
        (ApplicationStatus::UnderReview, DAY_MS + 6 * MINUTE_MS),
    ];
    for (status, after_ms) in steps {
        let change = StatusChange {
            to: status,
            at_ms: filed_ms + after_ms,
            note: None,
        };
        applications::change_status_in(conn, depositor_id, &stored.number, &change)
            .await
            .map_err(|_| StoreError::Invalid {
                what: "demo manager application",
                reason: "its history breaks the status rules",
            })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::transfers::may_apply;

    fn person(seed: u64) -> DemoPerson {
        super::super::people()
            .into_iter()
            .find(|p| p.stable_seed == Some(seed))
            .expect("the demo cast has this person")
    }

    #[test]
    fn the_one_year_rule_splits_the_cast_as_described() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date");
        let last = |seed| {
            transfers_of(&person(seed), 1, today)
                .iter()
                .map(|t| t.transferred_on)
                .max()
        };
        assert_eq!(may_apply(last(OLD_TRANSFER), today), Ok(()));
        assert!(may_apply(last(RECENT_TRANSFER), today).is_err());
        assert_eq!(last(PENDING_APPLICATION), None);
    }

    #[test]
    fn accounts_show_the_private_managers() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date");
        let old = person(OLD_TRANSFER).accounts(today);
        let manager = |kind| old.iter().find(|a| a.kind == kind).map(|a| a.manager);
        assert_eq!(manager(AccountKind::Opv), Some("halyk_global_markets"));
        assert_eq!(manager(AccountKind::Dpv), Some("bcc_invest"));
        // Everybody else stays with the National Bank.
        let others = super::super::people()
            .into_iter()
            .filter(|p| p.stable_seed.is_none())
            .flat_map(|p| p.accounts(today))
            .all(|a| a.manager == crate::store::accounts::DEFAULT_MANAGER);
        assert!(others);
    }
}
