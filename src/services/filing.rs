//! Filing applications from the bot (issue 5): what the registry says about the applicant
//! (disability, birth date, balances on the day of filing), applications of the same kind
//! still in progress, and saving the signed-to-be document as a draft.
//!
//! Methods of [`ApplicationsService`], so the dialogue reaches them through the context it
//! already has. Every call takes the depositor of the chat's own login.

use chrono::NaiveDate;

use super::applications::ApplicationsService;
use crate::domain::application::{ApplicationKind, ApplicationStatus};
use crate::domain::eligibility::DisabilityRecord;
use crate::domain::{Iin, Money};
use crate::store::accounts::{self, AccountKind};
use crate::store::applications::{self, ApplicationSummary, MAX_PAGE, NewApplication};
use crate::store::depositors;
use crate::store::{Db, StoreError};

/// The applicant as the registry has them on the day of filing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    pub depositor_id: i64,
    pub iin: Iin,
    pub last_name: String,
    pub first_name: String,
    pub patronymic: Option<String>,
    pub birth_date: NaiveDate,
    pub disability: Option<DisabilityRecord>,
    /// Balances on the day of filing; `None` when there is no such account.
    pub opv: Option<Money>,
    pub oppv: Option<Money>,
    pub dpv: Option<Money>,
}

impl Applicant {
    /// "Фамилия Имя Отчество", as the registry writes it.
    pub fn full_name(&self) -> String {
        match &self.patronymic {
            Some(p) => format!("{} {} {p}", self.last_name, self.first_name),
            None => format!("{} {}", self.last_name, self.first_name),
        }
    }
}

impl ApplicationsService {
    /// The depositor with their disability and balances on `today`; `None` if unknown.
    pub async fn applicant(
        &self,
        depositor_id: i64,
        today: NaiveDate,
    ) -> Result<Option<Applicant>, StoreError> {
        let Some(depositor) = depositors::find_by_id(&self.db, depositor_id).await? else {
            return Ok(None);
        };
        let mut applicant = Applicant {
            depositor_id,
            iin: depositor.iin,
            last_name: depositor.last_name,
            first_name: depositor.first_name,
            patronymic: depositor.patronymic,
            birth_date: depositor.birth_date,
            disability: depositor.disability.map(|d| DisabilityRecord {
                group: d.group,
                indefinite: d.indefinite,
            }),
            opv: None,
            oppv: None,
            dpv: None,
        };
        for account in accounts::accounts_of(&self.db, depositor_id).await? {
            let balance = Some(accounts::balance(&self.db, account.id, today).await?);
            match account.kind {
                AccountKind::Opv => applicant.opv = balance,
                AccountKind::Oppv => applicant.oppv = balance,
                AccountKind::Dpv => applicant.dpv = balance,
                AccountKind::Opvr => {}
            }
        }
        Ok(Some(applicant))
    }

    /// The depositor's newest application of one of `kinds` that is still on its way (signed
    /// or awaiting a signature, accepted, under review): a second one would only be refused.
    pub async fn in_progress(
        &self,
        depositor_id: i64,
        kinds: &[ApplicationKind],
    ) -> Result<Option<ApplicationSummary>, StoreError> {
        let (items, _) =
            applications::list_for_depositor(&self.db, depositor_id, 0, MAX_PAGE).await?;
        Ok(items.into_iter().find(|a| {
            kinds.contains(&a.kind)
                && matches!(
                    a.status,
                    ApplicationStatus::AwaitingSignature
                        | ApplicationStatus::Signed
                        | ApplicationStatus::Accepted
                        | ApplicationStatus::UnderReview
                )
        }))
    }

    /// Saves the application as a draft with its canonical document (the store computes the
    /// SHA-256) and gives it its number.
    pub async fn file_draft(
        &self,
        depositor_id: i64,
        kind: ApplicationKind,
        document: String,
        now_ms: i64,
    ) -> Result<ApplicationSummary, StoreError> {
        store_draft(&self.db, depositor_id, kind, document, now_ms).await
    }
}

/// Saves an application as a draft with its canonical document (the store computes the
/// SHA-256) and gives it its number; every application kind is filed through here.
pub(crate) async fn store_draft(
    db: &Db,
    depositor_id: i64,
    kind: ApplicationKind,
    document: String,
    now_ms: i64,
) -> Result<ApplicationSummary, StoreError> {
    if document.is_empty() {
        return Err(StoreError::Invalid {
            what: "application",
            reason: "a draft needs its document",
        });
    }
    let new = NewApplication {
        depositor_id,
        kind,
        status: ApplicationStatus::Draft,
        created_at_ms: now_ms,
        document: Some(document),
        note: None,
    };
    applications::insert(db, &new).await
}
