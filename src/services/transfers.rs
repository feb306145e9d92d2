//! The transfer applications (memo services 5, 7 and 10): what the dialogue needs to know
//! about the depositor's managers and pending applications, filing the drafts, the payment
//! details and link of a voluntary contribution, and [`apply_accepted`], which carries out a
//! cancellation once the fund has accepted it.
//!
//! Every call takes the depositor of the chat's own login; numbers kept in the session are
//! matched against that depositor again here.

use url::Url;

use crate::domain::application::{
    ApplicationKind, ApplicationNumber, ApplicationStatus, StatusNote,
};
use crate::domain::transfer_documents::cancellation_target;
use crate::domain::transfers::{is_cancellable, is_manager_kind, is_pending};
use crate::domain::{Iin, Money};
use crate::i18n::I18n;
use crate::reference::payment_details::PaymentDetails;
use crate::store::accounts::{self, Account};
use crate::store::applications::{ApplicationSummary, StatusChange, StatusChangeError};
use crate::store::manager_transfers::{self, FiledApplication, Transfer};
use crate::store::{Db, StoreError, depositors};
use sqlx::AnyConnection;

const MANAGER_KINDS: [ApplicationKind; 2] = [
    ApplicationKind::ManagerChoice,
    ApplicationKind::ReturnToNationalBank,
];

/// The depositor as the documents name them, with their accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub iin: Iin,
    pub full_name: String,
    /// In the order ОПВ, ОППВ, ОПВР, ДПВ; `manager` says who manages each.
    pub accounts: Vec<Account>,
}

/// Where the depositor's savings stand for a manager application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagerPosition {
    pub holder: Holder,
    /// The registry's last transfer between managers.
    pub last_transfer: Option<Transfer>,
    /// Manager applications signed or with the fund and not yet decided, newest first.
    pub pending: Vec<FiledApplication>,
}

/// Manager applications not yet executed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellable {
    /// May be cancelled now.
    pub open: Vec<FiledApplication>,
    /// A cancellation of each is already being signed or with the fund.
    pub being_cancelled: Vec<FiledApplication>,
}

#[derive(Clone)]
pub struct TransfersService {
    db: Db,
    payment_url: Option<Url>,
    details: &'static PaymentDetails,
}

impl TransfersService {
    pub fn new(
        db: Db,
        payment_url: Option<Url>,
        details: &'static PaymentDetails,
    ) -> TransfersService {
        TransfersService {
            db,
            payment_url,
            details,
        }
    }

    pub async fn holder(&self, depositor_id: i64) -> Result<Holder, StoreError> {
        let depositor = depositors::find_by_id(&self.db, depositor_id)
            .await?
            .ok_or(StoreError::NotFound { what: "depositor" })?;
        let full_name = match &depositor.patronymic {
            Some(p) => format!("{} {} {p}", depositor.last_name, depositor.first_name),
            None => format!("{} {}", depositor.last_name, depositor.first_name),
        };
        Ok(Holder {
            iin: depositor.iin,
            full_name,
            accounts: accounts::accounts_of(&self.db, depositor_id).await?,
        })
    }

    pub async fn position(&self, depositor_id: i64) -> Result<ManagerPosition, StoreError> {
        let holder = self.holder(depositor_id).await?;
        let last_transfer = manager_transfers::last_transfer(&self.db, depositor_id).await?;
        let pending_statuses: Vec<ApplicationStatus> = ApplicationStatus::ALL
            .into_iter()
            .filter(|s| is_pending(*s))
            .collect();
        let pending = manager_transfers::applications_of(
            &self.db,
            depositor_id,
            &MANAGER_KINDS,
            &pending_statuses,
        )
        .await?;
        Ok(ManagerPosition {
            holder,
            last_transfer,
            pending,
        })
    }

    /// The depositor's manager applications that may still be cancelled (accepted or under
    /// review), newest first: those open to a cancellation, and those a cancellation on its
    /// way already names.
    pub async fn cancellable(&self, depositor_id: i64) -> Result<Cancellable, StoreError> {
        let statuses: Vec<ApplicationStatus> = ApplicationStatus::ALL
            .into_iter()
            .filter(|s| is_cancellable(*s))
            .collect();
        let candidates =
            manager_transfers::applications_of(&self.db, depositor_id, &MANAGER_KINDS, &statuses)
                .await?;
        let pending_statuses: Vec<ApplicationStatus> = ApplicationStatus::ALL
            .into_iter()
            .filter(|s| is_pending(*s))
            .collect();
        let cancellations = manager_transfers::applications_of(
            &self.db,
            depositor_id,
            &[ApplicationKind::ManagerCancellation],
            &pending_statuses,
        )
        .await?;
        let named: Vec<ApplicationNumber> = cancellations
            .iter()
            .filter_map(|c| c.document.as_deref().and_then(cancellation_target))
            .collect();
        let (being_cancelled, open) = candidates
            .into_iter()
            .partition(|a| named.contains(&a.number));
        Ok(Cancellable {
            open,
            being_cancelled,
        })
    }

    /// Stores the application as a draft with its canonical document (the store computes
    /// the SHA-256) and gives it its number.
    pub async fn file(
        &self,
        depositor_id: i64,
        kind: ApplicationKind,
        document: String,
        now_ms: i64,
    ) -> Result<ApplicationSummary, StoreError> {
        super::filing::store_draft(&self.db, depositor_id, kind, document, now_ms).await
    }

    pub fn payment_details(&self) -> &'static PaymentDetails {
        self.details
    }

    /// The payment page with the amount and the application number as the reference, when
    /// `PAYMENT_URL` is set. The IIN never goes into a URL (URLs end up in logs).
    pub fn payment_link(&self, amount: Money, reference: &ApplicationNumber) -> Option<String> {
        let mut url = self.payment_url.clone()?;
        let tiyn = amount.tiyn();
        url.query_pairs_mut()
            .append_pair("amount", &format!("{}.{:02}", tiyn / 100, tiyn % 100))
            .append_pair("currency", "KZT")
            .append_pair("reference", &reference.to_string());
        Some(url.into())
    }
}

/// Carries out what an accepted application orders, inside the caller's transaction (the
/// signing service calls it right after the application became accepted).
///
/// Only a manager cancellation does anything: the application its document names becomes
/// cancelled (note: at the depositor's request), provided it is the same depositor's manager
/// application and still accepted or under review. Anything else is left as it is and
/// logged (by numbers, no personal data): the fund decides such a cancellation by hand.
pub async fn apply_accepted(
    conn: &mut AnyConnection,
    i18n: &I18n,
    application: &ApplicationSummary,
    document: &str,
) -> Result<(), StoreError> {
    if application.kind != ApplicationKind::ManagerCancellation {
        return Ok(());
    }
    let Some(target) = cancellation_target(document) else {
        tracing::warn!(number = %application.number, "cancellation without a readable target");
        return Ok(());
    };
    let found = manager_transfers::find_in(conn, application.depositor_id, &target).await?;
    let cancellable = found
        .as_ref()
        .is_some_and(|t| is_manager_kind(t.kind) && is_cancellable(t.status));
    if !cancellable || target == application.number {
        tracing::warn!(
            number = %application.number,
            target = %target,
            "cancellation target is not a cancellable manager application of this depositor"
        );
        return Ok(());
    }
    let change = StatusChange {
        to: ApplicationStatus::Cancelled,
        at_ms: application.updated_at_ms,
        note: Some(StatusNote::CancelledByDepositor),
    };
    let cancelled = crate::services::notifications::change_status_and_notify_in(
        conn,
        i18n,
        application.depositor_id,
        &target,
        &change,
        application.updated_at_ms,
    )
    .await;
    match cancelled {
        Ok(_) => Ok(()),
        Err(StatusChangeError::Store(e)) => Err(e),
        Err(StatusChangeError::Conflict) => Err(StoreError::Invalid {
            what: "cancellation",
            reason: "the target application kept changing",
        }),
        Err(other) => {
            tracing::warn!(number = %application.number, target = %target, error = %other,
                "cancellation target could not be cancelled");
            Ok(())
        }
    }
}
