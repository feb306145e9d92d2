//! Applications and the history of their statuses (migration 0004).
//!
//! Every read and every status change takes the depositor's id along with the application,
//! and matches both: a depositor who guesses another's number gets "not found", whatever path
//! the request takes. A status change checks the transition (`domain::application`) and writes
//! the history row in the same transaction as the status.

use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::values::Columns;
use super::{Db, StoreError};
use crate::domain::application::{
    ApplicationKind, ApplicationNumber, ApplicationStatus, StatusNote, document_digest,
};

const TABLE: &str = "applications";
const HISTORY: &str = "application_status_history";
const COLUMNS: &str = "id, number, depositor_id, kind, status, created_at_ms, updated_at_ms";

/// The most applications one page returns.
pub const MAX_PAGE: u32 = 100;

/// How often a status change re-reads the status when another change won the race.
const CHANGE_ATTEMPTS: usize = 3;

/// An application to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
    pub depositor_id: i64,
    pub kind: ApplicationKind,
    /// Draft (started in the bot) or accepted (filed elsewhere, imported).
    pub status: ApplicationStatus,
    pub created_at_ms: i64,
    /// The application as canonical JSON; its SHA-256 is computed and stored with it.
    pub document: Option<String>,
    pub note: Option<StatusNote>,
}

/// One line of the depositor's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationSummary {
    pub id: i64,
    pub number: ApplicationNumber,
    pub depositor_id: i64,
    pub kind: ApplicationKind,
    pub status: ApplicationStatus,
    pub created_at_ms: i64,
    /// When the status last changed.
    pub updated_at_ms: i64,
}

/// A status the application had, from when, and why when a note says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEvent {
    pub status: ApplicationStatus,
    pub at_ms: i64,
    pub note: Option<StatusNote>,
}

/// An application with its document and full history, oldest status first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationDetail {
    pub summary: ApplicationSummary,
    pub document: Option<String>,
    pub document_sha256: Option<String>,
    pub history: Vec<StatusEvent>,
}

/// A status change to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub to: ApplicationStatus,
    pub at_ms: i64,
    pub note: Option<StatusNote>,
}

/// Why a status was not changed.
#[derive(Debug, thiserror::Error)]
pub enum StatusChangeError {
    /// No application with this number belongs to this depositor.
    #[error("no such application")]
    NotFound,
    #[error("an application cannot go from {} to {}", from.code(), to.code())]
    NotAllowed {
        from: ApplicationStatus,
        to: ApplicationStatus,
    },
    /// The change is dated before the application's last change.
    #[error("a status change cannot be dated before the previous one")]
    BeforeLastChange,
    /// Other changes kept winning the race; try again.
    #[error("the application changed concurrently")]
    Conflict,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for StatusChangeError {
    fn from(e: sqlx::Error) -> Self {
        StatusChangeError::Store(StoreError::from(e))
    }
}

fn summary_from_row(row: &AnyRow) -> Result<ApplicationSummary, StoreError> {
    let c = Columns::new(row, TABLE);
    Ok(ApplicationSummary {
        id: c.i64("id")?,
        number: c.parsed("number", ApplicationNumber::parse)?,
        depositor_id: c.i64("depositor_id")?,
        kind: c.parsed("kind", |s| ApplicationKind::from_code(s).ok_or(()))?,
        status: c.parsed("status", |s| ApplicationStatus::from_code(s).ok_or(()))?,
        created_at_ms: c.i64("created_at_ms")?,
        updated_at_ms: c.i64("updated_at_ms")?,
    })
}

fn event_from_row(row: &AnyRow) -> Result<StatusEvent, StoreError> {
    let c = Columns::new(row, HISTORY);
    Ok(StatusEvent {
        status: c.parsed("status", |s| ApplicationStatus::from_code(s).ok_or(()))?,
        at_ms: c.i64("at_ms")?,
        note: c.opt_parsed("note_key", |s| StatusNote::from_code(s).ok_or(()))?,
    })
}

/// Creates an application with the next number of its year and its first history row, in
/// one transaction.
pub async fn insert(db: &Db, new: &NewApplication) -> Result<ApplicationSummary, StoreError> {
    let mut tx = db.begin_write().await?;
    let summary = insert_in(&mut tx, new).await?;
    tx.commit().await?;
    Ok(summary)
}

/// [`insert`] on a connection the caller holds. It writes three rows (counter, application,
/// history): call it inside a transaction.
pub async fn insert_in(
    conn: &mut AnyConnection,
    new: &NewApplication,
) -> Result<ApplicationSummary, StoreError> {
    if !new.status.can_start() {
        return Err(StoreError::Invalid {
            what: "application",
            reason: "an application starts as a draft or as accepted",
        });
    }
    let year = ApplicationNumber::year_of(new.created_at_ms).ok_or(StoreError::Invalid {
        what: "application",
        reason: "the creation time is out of range",
    })?;
    let number = next_number(conn, year).await?;
    let digest = new.document.as_deref().map(document_digest);
    let sql = format!(
        "INSERT INTO applications (number, depositor_id, kind, status, created_at_ms, \
         updated_at_ms, document, document_sha256) VALUES ($1, $2, $3, $4, $5, $5, $6, $7) \
         RETURNING {COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(number.to_string())
        .bind(new.depositor_id)
        .bind(new.kind.code())
        .bind(new.status.code())
        .bind(new.created_at_ms)
        .bind(new.document.clone())
        .bind(digest)
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| StoreError::from(e).unique_as("application with this number"))?;
    let summary = summary_from_row(&row)?;
    insert_event(conn, summary.id, new.status, new.created_at_ms, new.note).await?;
    Ok(summary)
}

/// Takes the next sequence number of `year` (the counter row is locked until the
/// transaction ends, so two inserts never get the same number).
async fn next_number(conn: &mut AnyConnection, year: i32) -> Result<ApplicationNumber, StoreError> {
    let row = sqlx::query(
        "INSERT INTO application_counters (year, last_sequence) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE \
         SET last_sequence = application_counters.last_sequence + 1 \
         RETURNING last_sequence",
    )
    .bind(i64::from(year))
    .fetch_one(&mut *conn)
    .await?;
    let sequence = Columns::new(&row, "application_counters").i64("last_sequence")?;
    u32::try_from(sequence)
        .ok()
        .and_then(|s| ApplicationNumber::new(year, s))
        .ok_or(StoreError::Invalid {
            what: "application number",
            reason: "the year's sequence is exhausted",
        })
}

async fn insert_event(
    conn: &mut AnyConnection,
    application_id: i64,
    status: ApplicationStatus,
    at_ms: i64,
    note: Option<StatusNote>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO application_status_history (application_id, status, at_ms, note_key) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(application_id)
    .bind(status.code())
    .bind(at_ms)
    .bind(note.map(StatusNote::code))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Moves the depositor's application `number` to `change.to`, if the transition is allowed,
/// and records it in the history, in one transaction.
pub async fn change_status(
    db: &Db,
    depositor_id: i64,
    number: &ApplicationNumber,
    change: &StatusChange,
) -> Result<ApplicationSummary, StatusChangeError> {
    let mut tx = db.begin_write().await?;
    let summary = change_status_in(&mut tx, depositor_id, number, change).await?;
    tx.commit().await?;
    Ok(summary)
}

/// [`change_status`] on a connection the caller holds: call it inside a transaction, so the
/// status, its history row and whatever else the caller writes (a notification) commit
/// together or not at all.
pub async fn change_status_in(
    conn: &mut AnyConnection,
    depositor_id: i64,
    number: &ApplicationNumber,
    change: &StatusChange,
) -> Result<ApplicationSummary, StatusChangeError> {
    for _ in 0..CHANGE_ATTEMPTS {
        let current = find_summary(conn, depositor_id, number)
            .await?
            .ok_or(StatusChangeError::NotFound)?;
        if !current.status.can_become(change.to) {
            return Err(StatusChangeError::NotAllowed {
                from: current.status,
                to: change.to,
            });
        }
        if change.at_ms < current.updated_at_ms {
            return Err(StatusChangeError::BeforeLastChange);
        }
        // Compare-and-set on the status read above: on PostgreSQL a concurrent change makes
        // this match nothing, and the loop reads the status that won.
        let updated = sqlx::query(
            "UPDATE applications SET status = $1, updated_at_ms = $2 \
             WHERE id = $3 AND status = $4",
        )
        .bind(change.to.code())
        .bind(change.at_ms)
        .bind(current.id)
        .bind(current.status.code())
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if updated == 1 {
            insert_event(conn, current.id, change.to, change.at_ms, change.note).await?;
            return Ok(ApplicationSummary {
                status: change.to,
                updated_at_ms: change.at_ms,
                ..current
            });
        }
    }
    Err(StatusChangeError::Conflict)
}

async fn find_summary(
    conn: &mut AnyConnection,
    depositor_id: i64,
    number: &ApplicationNumber,
) -> Result<Option<ApplicationSummary>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE depositor_id = $1 AND number = $2");
    let row = sqlx::query(&sql)
        .bind(depositor_id)
        .bind(number.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(summary_from_row).transpose()
}

/// The application with this number, whoever it belongs to: for staff tools only (the
/// command line), never for a chat, whose reads are scoped by its own depositor.
pub async fn find_by_number_in(
    conn: &mut AnyConnection,
    number: &ApplicationNumber,
) -> Result<Option<ApplicationSummary>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE number = $1");
    let row = sqlx::query(&sql)
        .bind(number.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(summary_from_row).transpose()
}

/// One page of the depositor's applications, newest first, and how many there are in all.
/// `limit` is capped at [`MAX_PAGE`].
pub async fn list_for_depositor(
    db: &Db,
    depositor_id: i64,
    offset: u64,
    limit: u32,
) -> Result<(Vec<ApplicationSummary>, u64), StoreError> {
    let total_row = sqlx::query("SELECT COUNT(*) AS n FROM applications WHERE depositor_id = $1")
        .bind(depositor_id)
        .fetch_one(db.pool())
        .await?;
    let total = Columns::new(&total_row, TABLE).i64("n")?;
    let total = u64::try_from(total).map_err(|_| StoreError::Corrupt {
        table: TABLE,
        column: "n",
    })?;
    let limit = limit.min(MAX_PAGE);
    if limit == 0 || offset >= total {
        return Ok((Vec::new(), total));
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM applications WHERE depositor_id = $1 \
         ORDER BY created_at_ms DESC, id DESC LIMIT $2 OFFSET $3"
    );
    let rows = sqlx::query(&sql)
        .bind(depositor_id)
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(db.pool())
        .await?;
    let items = rows
        .iter()
        .map(summary_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, total))
}

/// The depositor's application `number` with its document and history; `None` when there is
/// none, or it belongs to somebody else.
pub async fn get_for_depositor(
    db: &Db,
    depositor_id: i64,
    number: &ApplicationNumber,
) -> Result<Option<ApplicationDetail>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS}, document, document_sha256 FROM applications \
         WHERE depositor_id = $1 AND number = $2"
    );
    let Some(row) = sqlx::query(&sql)
        .bind(depositor_id)
        .bind(number.to_string())
        .fetch_optional(db.pool())
        .await?
    else {
        return Ok(None);
    };
    let summary = summary_from_row(&row)?;
    let c = Columns::new(&row, TABLE);
    let document = c.opt_text("document")?;
    let document_sha256 = c.opt_text("document_sha256")?;
    // The application id comes from the row matched on the depositor above.
    let history_rows = sqlx::query(
        "SELECT status, at_ms, note_key FROM application_status_history \
         WHERE application_id = $1 ORDER BY id",
    )
    .bind(summary.id)
    .fetch_all(db.pool())
    .await?;
    let history = history_rows
        .iter()
        .map(event_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(ApplicationDetail {
        summary,
        document,
        document_sha256,
        history,
    }))
}

/// How many applications are in each status (statuses with none are left out), by status.
pub async fn count_by_status(db: &Db) -> Result<Vec<(String, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT status, COUNT(*) AS n FROM applications GROUP BY status ORDER BY status",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, TABLE);
            Ok((c.text("status")?, c.i64("n")?))
        })
        .collect()
}

/// An application by id with its document and the document's SHA-256, inside the caller's
/// transaction (the signing service reads what it issued a link for; the link holds the id).
pub async fn get_with_document_in(
    conn: &mut AnyConnection,
    application_id: i64,
) -> Result<Option<(ApplicationSummary, Option<String>, Option<String>)>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS}, document, document_sha256 FROM applications WHERE id = $1");
    let Some(row) = sqlx::query(&sql)
        .bind(application_id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let summary = summary_from_row(&row)?;
    let c = Columns::new(&row, TABLE);
    Ok(Some((
        summary,
        c.opt_text("document")?,
        c.opt_text("document_sha256")?,
    )))
}
