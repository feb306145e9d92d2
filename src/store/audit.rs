//! The audit trail: who did what to whose data, and when.
//!
//! Entries are written by services; `subject` arrives already masked. The query answers the
//! auditor's question "whose data did this chat touch between T1 and T2".

use sqlx::any::AnyRow;

use super::values::Columns;
use super::{Db, StoreError};

const TABLE: &str = "audit_log";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at_ms: i64,
    pub chat_id: Option<i64>,
    /// Who acted: `depositor`, `staff:<id>`, `system`, ...
    pub actor: String,
    /// What happened, a stable code such as `statement.sent`.
    pub action: String,
    /// Whose data, already masked by the caller.
    pub subject: Option<String>,
    pub details: Option<String>,
}

fn from_row(row: &AnyRow) -> Result<AuditEntry, StoreError> {
    let c = Columns::new(row, TABLE);
    Ok(AuditEntry {
        at_ms: c.i64("at_ms")?,
        chat_id: c.opt_i64("chat_id")?,
        actor: c.text("actor")?,
        action: c.text("action")?,
        subject: c.opt_text("subject")?,
        details: c.opt_text("details")?,
    })
}

pub async fn record(db: &Db, entry: &AuditEntry) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at_ms, chat_id, actor, action, subject, details) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(entry.at_ms)
    .bind(entry.chat_id)
    .bind(&entry.actor)
    .bind(&entry.action)
    .bind(&entry.subject)
    .bind(&entry.details)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Entries with `from_ms <= at_ms <= to_ms` (both ends included), of one chat or of all,
/// oldest first.
pub async fn between(
    db: &Db,
    from_ms: i64,
    to_ms: i64,
    chat_id: Option<i64>,
) -> Result<Vec<AuditEntry>, StoreError> {
    const SELECT: &str = "SELECT at_ms, chat_id, actor, action, subject, details FROM audit_log WHERE at_ms >= $1 AND at_ms <= $2";
    let rows = match chat_id {
        Some(chat_id) => {
            sqlx::query(&format!("{SELECT} AND chat_id = $3 ORDER BY at_ms, id"))
                .bind(from_ms)
                .bind(to_ms)
                .bind(chat_id)
                .fetch_all(db.pool())
                .await?
        }
        None => {
            sqlx::query(&format!("{SELECT} ORDER BY at_ms, id"))
                .bind(from_ms)
                .bind(to_ms)
                .fetch_all(db.pool())
                .await?
        }
    };
    rows.iter().map(from_row).collect()
}
