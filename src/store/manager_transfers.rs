//! Transfers of savings between trust managers as the fund's registry records them
//! (migration 0012), and the reads of manager applications the transfer flows need.
//!
//! The registry's date of the last transfer drives the one-year rule of manager applications
//! (`domain::transfers::may_apply`). Reads take the depositor's id and match it, as every
//! read of applications does.

use chrono::NaiveDate;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::values::{Columns, date_text};
use super::{Db, StoreError};
use crate::domain::application::{ApplicationKind, ApplicationNumber, ApplicationStatus};
use crate::domain::transfers::Savings;

const TABLE: &str = "manager_transfers";
const APPLICATIONS: &str = "applications";

/// A transfer between managers the registry executed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub depositor_id: i64,
    pub transferred_on: NaiveDate,
    pub savings: Savings,
    /// Where the savings went: a portfolio manager's code, or `nbrk` for a return.
    pub manager: String,
    pub share_percent: u8,
}

/// An application with its document, as the transfer flows read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiledApplication {
    pub number: ApplicationNumber,
    pub kind: ApplicationKind,
    pub status: ApplicationStatus,
    pub created_at_ms: i64,
    pub document: Option<String>,
}

fn transfer_from_row(row: &AnyRow) -> Result<Transfer, StoreError> {
    let c = Columns::new(row, TABLE);
    let share = c.i64("share_percent")?;
    Ok(Transfer {
        depositor_id: c.i64("depositor_id")?,
        transferred_on: c.date("transferred_on")?,
        savings: c.parsed("savings", |s| Savings::from_code(s).ok_or(()))?,
        manager: c.text("manager")?,
        share_percent: u8::try_from(share)
            .ok()
            .filter(|s| (1..=100).contains(s))
            .ok_or(c.corrupt("share_percent"))?,
    })
}

/// Records a transfer (the demo registry and the registry's reports write them).
pub async fn insert_in(
    conn: &mut AnyConnection,
    transfer: &Transfer,
    created_at_ms: i64,
) -> Result<(), StoreError> {
    if !(1..=100).contains(&transfer.share_percent) {
        return Err(StoreError::Invalid {
            what: "manager transfer",
            reason: "the share is 1 to 100 percent",
        });
    }
    sqlx::query(
        "INSERT INTO manager_transfers \
         (depositor_id, transferred_on, savings, manager, share_percent, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(transfer.depositor_id)
    .bind(date_text(transfer.transferred_on))
    .bind(transfer.savings.code())
    .bind(&transfer.manager)
    .bind(i64::from(transfer.share_percent))
    .bind(created_at_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The depositor's latest transfer between managers, if any (the latest date; of one day,
/// the one recorded last).
pub async fn last_transfer(db: &Db, depositor_id: i64) -> Result<Option<Transfer>, StoreError> {
    let row = sqlx::query(
        "SELECT depositor_id, transferred_on, savings, manager, share_percent \
         FROM manager_transfers WHERE depositor_id = $1 \
         ORDER BY transferred_on DESC, id DESC LIMIT 1",
    )
    .bind(depositor_id)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(transfer_from_row).transpose()
}

/// The depositor's applications of these kinds in these statuses, newest first, with their
/// documents.
pub async fn applications_of(
    db: &Db,
    depositor_id: i64,
    kinds: &[ApplicationKind],
    statuses: &[ApplicationStatus],
) -> Result<Vec<FiledApplication>, StoreError> {
    if kinds.is_empty() || statuses.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = |from: usize, count: usize| {
        (from..from + count)
            .map(|n| format!("${n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sql = format!(
        "SELECT number, kind, status, created_at_ms, document FROM applications \
         WHERE depositor_id = $1 AND kind IN ({}) AND status IN ({}) \
         ORDER BY created_at_ms DESC, id DESC",
        placeholders(2, kinds.len()),
        placeholders(2 + kinds.len(), statuses.len()),
    );
    let mut query = sqlx::query(&sql).bind(depositor_id);
    for kind in kinds {
        query = query.bind(kind.code());
    }
    for status in statuses {
        query = query.bind(status.code());
    }
    let rows = query.fetch_all(db.pool()).await?;
    rows.iter().map(filed_from_row).collect()
}

/// The depositor's application `number` on the caller's connection (inside its
/// transaction); `None` when there is none or it is somebody else's.
pub async fn find_in(
    conn: &mut AnyConnection,
    depositor_id: i64,
    number: &ApplicationNumber,
) -> Result<Option<FiledApplication>, StoreError> {
    let row = sqlx::query(
        "SELECT number, kind, status, created_at_ms, document FROM applications \
         WHERE depositor_id = $1 AND number = $2",
    )
    .bind(depositor_id)
    .bind(number.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(filed_from_row).transpose()
}

fn filed_from_row(row: &AnyRow) -> Result<FiledApplication, StoreError> {
    let c = Columns::new(row, APPLICATIONS);
    Ok(FiledApplication {
        number: c.parsed("number", ApplicationNumber::parse)?,
        kind: c.parsed("kind", |s| ApplicationKind::from_code(s).ok_or(()))?,
        status: c.parsed("status", |s| ApplicationStatus::from_code(s).ok_or(()))?,
        created_at_ms: c.i64("created_at_ms")?,
        document: c.opt_text("document")?,
    })
}
